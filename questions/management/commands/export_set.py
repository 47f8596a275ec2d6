from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.formats.registry import UnknownFormat, exportable_formats
from questions.models import QuestionSet
from questions.services.set_export import export_set


class Command(BaseCommand):
    help = "Write a set to a file: quizsite YAML, Moodle GIFT or XML, CSV, or an Anki .apkg."

    def add_arguments(self, parser):
        parser.add_argument("set", help="The set's id, or its external id.")
        parser.add_argument("--format", required=True, choices=exportable_formats())
        parser.add_argument(
            "-o", "--output", type=Path, help="The file to write (default: named after the set)."
        )
        parser.add_argument("--owner", help="Username, when several owners use the external id.")

    def handle(self, *args, set: str, format: str, output: Path | None, owner, **options):
        sets = QuestionSet.objects.all()
        if owner:
            sets = sets.filter(owner__username=owner)
        question_set = sets.filter(pk=int(set)).first() if set.isdigit() else None
        if question_set is None:
            matches = list(sets.filter(external_id=set)[:2])
            if len(matches) > 1:
                raise CommandError(f"Several owners have a set {set!r}; name one with --owner.")
            question_set = matches[0] if matches else None
        if question_set is None:
            raise CommandError(f"No set {set!r}.")
        try:
            exported = export_set(question_set=question_set, format=format)
        except UnknownFormat as error:
            raise CommandError(str(error)) from None
        path = output or Path(exported.filename)
        path.write_bytes(exported.content)
        for warning in exported.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {question_set.title!r} to {path} ({len(exported.content):,} bytes)."
            )
        )
