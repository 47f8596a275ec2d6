from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from questions.formats.registry import importable_formats
from questions.formats.spec import ImportRefused
from questions.models import QuestionSet
from questions.services.set_import import check_import_size, import_file

PROGRESS_FROM_QUESTIONS = 200
"""Files with at least this many questions show a progress bar while they are saved."""


class Command(BaseCommand):
    help = (
        "Import a set file: quizsite YAML, Moodle GIFT or XML, CSV, or an Anki .apkg. "
        "All or nothing; importing the same file again creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=importable_formats(),
            help="The file's format; by default chosen by its extension.",
        )
        parser.add_argument(
            "--set",
            dest="into",
            help="Add the questions to this existing set (its id, or its external id).",
        )
        parser.add_argument(
            "--owner", help="Username of the teacher who will own the set (default: the --set's)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; save nothing."
        )
        parser.add_argument(
            "--encoding",
            help="The encoding a text file was saved in, e.g. windows-1252 (default: UTF-8).",
        )

    def handle(self, *args, file: Path, format, into, owner, dry_run, encoding, **options):
        try:
            check_import_size(file.stat().st_size)
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}.") from None
        except ImportRefused as refused:
            raise CommandError(f"{file}: {refused}") from None
        into_set = self._set(into, owner) if into else None
        user = self._owner(owner, into_set)
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None and total >= PROGRESS_FROM_QUESTIONS:
                # tqdm redraws its line with \r, which OutputWrapper.write would end with \n.
                bar = tqdm(total=total, unit="question", desc=file.name, file=self.stderr._out)
            if bar is not None:
                bar.update(1)

        try:
            report = import_file(
                content=content,
                filename=file.name,
                format=format,
                owner=user,
                into=into_set,
                dry_run=dry_run,
                base_dir=file.resolve().parent,
                progress=progress,
                encoding=encoding,
            )
        except ImportRefused as refused:
            problems = "\n".join(f"  {problem}" for problem in refused.problems)
            raise CommandError(f"{file}: not imported, nothing was saved.\n{problems}") from None
        finally:
            if bar is not None:
                bar.close()
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _set(self, into: str, owner: str | None) -> QuestionSet:
        sets = QuestionSet.objects.all()
        if owner:
            sets = sets.filter(owner__username=owner)
        found = sets.filter(pk=int(into)).first() if into.isdigit() else None
        found = found or sets.filter(external_id=into).order_by("pk").first()
        if found is None:
            raise CommandError(f"No set {into!r}" + (f" owned by {owner!r}." if owner else "."))
        return found

    def _owner(self, username: str | None, into: QuestionSet | None) -> User:
        if username is None:
            if into is None:
                raise CommandError("Name the owner of the new set with --owner USERNAME.")
            return into.owner
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if into is not None and into.owner_id != user.pk:
            raise CommandError(f"The set {into.pk} belongs to {into.owner.username!r}.")
        return user
