"""Saving a parsed set (from any format) all or nothing, idempotently: set_import and
import_file, the one path behind the command, the API and the import page; the checks, the
media and the saving itself are in set_import_checks, set_import_media and set_import_save.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from questions.formats.registry import as_utf8, import_format
from questions.formats.spec import (
    ImportProblem,
    ImportRefused,
    SetSpec,
)
from questions.models import QuestionSet
from questions.permissions import require_owner
from questions.services.bulk_rows import collector_paused
from questions.services.set_import_checks import check_spec
from questions.services.set_import_media import link_media, store_media
from questions.services.set_import_save import ImportReport, Progress, save_spec

FILE_TOO_LARGE = (
    "The file is {size:,} bytes; imports are limited to {limit:,} bytes "
    "(settings.QUIZSITE_MAX_IMPORT_BYTES)."
)
FILE_EMPTY = "The file is empty."
CONFLICTS_WITH_SAVED = "The file conflicts with questions saved meanwhile; import it again."
INTO_SOURCE_DIFFERS = (
    "The set {title!r} is drawn from the source {set_source}, the file from {file_source}; "
    "questions must cite passages of their set's source. Import the file as a set of its own."
)


class _DryRunRollback(Exception):
    pass


def set_import(
    *,
    spec: SetSpec,
    owner: User,
    into: QuestionSet | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Save a parsed set for `owner`, all or nothing.

    Questions are matched on their id (or, where the file has none, on a hash of their
    content), so importing the same file again changes nothing. `into` adds the questions
    to an existing set (of the same source) instead of the one the file names. With
    `dry_run` everything is
    checked and counted, then rolled back. Media files (spec.media) are stored under MEDIA,
    named by their content, once the questions are saved; never in a dry run. Only the owner
    of `into` adds to it.
    """
    if into is not None:
        require_owner(owner, into)
    media = link_media(spec)
    problems = check_spec(spec)
    if into is not None:
        into_source = into.source.slug if into.source_id else None
        file_source = spec.source.slug if spec.source else None
        if into_source != file_source:
            message = INTO_SOURCE_DIFFERS.format(
                title=into.title,
                set_source=repr(into_source) if into_source else "no source",
                file_source=repr(file_source) if file_source else "no source",
            )
            problems.insert(0, ImportProblem(message))
    if problems:
        raise ImportRefused(problems)
    report = ImportReport(question_set=None, dry_run=dry_run, warnings=list(spec.warnings))
    try:
        with transaction.atomic():
            save_spec(spec, owner, into, report, progress)
            if dry_run:
                raise _DryRunRollback
            # Last, so a refused import stores nothing; a file stored by an import whose
            # commit then fails is harmless, as the next import reuses it by its name.
            report.stored_media = store_media(media)
    except _DryRunRollback:
        pass
    except ValidationError as error:
        raise ImportRefused([ImportProblem(message) for message in error.messages]) from None
    except IntegrityError:
        raise ImportRefused([ImportProblem(CONFLICTS_WITH_SAVED)]) from None
    return report


def check_import_size(size: int) -> None:
    """ImportRefused for a file over settings.QUIZSITE_MAX_IMPORT_BYTES; call it before reading
    an upload, so that a huge file is never read into memory."""
    limit = settings.QUIZSITE_MAX_IMPORT_BYTES
    if size > limit:
        raise ImportRefused([ImportProblem(FILE_TOO_LARGE.format(size=size, limit=limit))])


def import_file(
    *,
    content: bytes,
    filename: str,
    format: str | None,
    owner: User,
    into: QuestionSet | None = None,
    dry_run: bool = False,
    base_dir: Path | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Import an uploaded or local file of any format: the one path behind the command,
    the API and the import page.

    `format` is a name from questions.formats.registry (or None to go by the file's
    extension). Raises ImportRefused, naming the line or question of every problem, for a
    file that is too large, of an unknown format, unreadable or invalid; nothing is saved then.
    `base_dir` lets a quizsite set file name its source text as a file beside it. `encoding`
    names what a text file was saved in (UTF-8 when None); a file that is not in it is refused,
    with the encoding it most likely is.
    """
    check_import_size(len(content))
    if not content.strip():
        raise ImportRefused([ImportProblem(FILE_EMPTY)])
    file_format = import_format(name=format, filename=filename)
    content = as_utf8(content, file_format=file_format, encoding=encoding)
    with collector_paused():
        spec = file_format.read(content, filename=filename, base_dir=base_dir)
        report = set_import(spec=spec, owner=owner, into=into, dry_run=dry_run, progress=progress)
    report.format = file_format.name
    return report
