from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.formats.common import decode_text
from questions.formats.source_text import split_source_text
from questions.formats.spec import ImportRefused
from questions.services.sources import SourceConflict, source_save


class Command(BaseCommand):
    help = (
        "Turn a plain-text file into a Source with passages: paragraphs become passages, short "
        "lines without a full stop become headings of the passages that follow. Idempotent by slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--slug", default="", help="Defaults to the slug of the title.")
        parser.add_argument("--citation", default="", help="Author and publication details.")
        parser.add_argument(
            "--encoding", help="The encoding the file was saved in (default: UTF-8)."
        )

    def handle(self, *args, file: Path, slug: str, citation: str, encoding, **options):
        try:
            text = decode_text(file.read_bytes(), encoding)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except ImportRefused as refused:
            raise CommandError(f"{file}: {refused}") from None
        try:
            spec = split_source_text(text, slug=slug, citation=citation)
            source, created = source_save(spec=spec)
        except (ValueError, SourceConflict) as error:
            raise CommandError(f"{file}: {error}") from None
        verb = "Created" if created else "Already up to date:"
        self.stdout.write(
            f"{verb} source {source.slug!r} ({source.title}) with {len(spec.passages)} passages."
        )
