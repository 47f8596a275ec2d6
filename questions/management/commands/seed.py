from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from questions.formats.native import read_native
from questions.formats.spec import ImportRefused
from questions.models import Assignment, Classroom, Membership
from questions.services.set_import import set_import
from questions.services.studied_sets import studied_sets_sync

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
TEACHERS_GROUP = "teachers"
DEMO_CLASS_NAME = "Demo class"
DEMO_JOIN_CODE = "DEMO1968"
DEMO_ACCOUNTS = {
    # username: (password, is teacher, is staff)
    "admin": ("quizsite-admin", False, True),
    "teacher": ("quizsite-teacher", True, False),
    "student": ("quizsite-student", False, False),
}


class Command(BaseCommand):
    help = "Load the shipped question banks and create the demo accounts and class. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            teachers, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
            users = {}
            for username, (password, is_teacher, is_staff) in DEMO_ACCOUNTS.items():
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"is_staff": is_staff, "is_superuser": is_staff},
                )
                if created:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                if is_teacher:
                    user.groups.add(teachers)
                users[username] = user
            classroom, _ = Classroom.objects.get_or_create(
                join_code=DEMO_JOIN_CODE,
                defaults={"name": DEMO_CLASS_NAME, "owner": users["teacher"]},
            )
            Membership.objects.get_or_create(
                classroom=classroom, user=users["teacher"], defaults={"role": "teacher"}
            )
            Membership.objects.get_or_create(
                classroom=classroom, user=users["student"], defaults={"role": "student"}
            )
            for path in sorted(FIXTURES_DIR.glob("*.yaml")):
                try:
                    spec = read_native(path.read_text(encoding="utf-8"), base_dir=path.parent)
                    report = set_import(spec=spec, owner=users["teacher"])
                except ImportRefused as refused:
                    raise CommandError(f"{path.name}: {refused}") from None
                Assignment.objects.get_or_create(
                    classroom=classroom, question_set=report.question_set
                )
                self.stdout.write(f"{path.name}: {report.summary()}")
            studied_sets_sync(user_ids=[user.pk for user in users.values()])
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts (username / password): "
                + ", ".join(f"{name} / {pw}" for name, (pw, _, _) in DEMO_ACCOUNTS.items())
                + f". The demo class's join code is {DEMO_JOIN_CODE}."
            )
        )
