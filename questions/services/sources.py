from django.contrib.auth.models import User
from django.db import transaction

from questions.errors import Conflict
from questions.formats.spec import SourceSpec
from questions.models import Passage, Source

SOURCE_TEXT_CHANGED = (
    "A source with the slug {slug!r} already exists with other passages, and questions cite it; "
    "import the new text under another slug."
)


class SourceConflict(Conflict):
    """A source of this slug exists with other passages, and questions cite it."""


@transaction.atomic
def source_save(*, spec: SourceSpec, created_by: User | None = None) -> tuple[Source, bool]:
    """Create the source, or return the one with its slug; idempotent. Returns (source, created).

    An existing source whose passages differ is updated only while no question cites it,
    because a question's passage must keep saying what the question was written against.
    """
    source = Source.objects.select_for_update().filter(slug=spec.slug).first()
    wanted = [(passage.heading, passage.text) for passage in spec.passages]
    if source is not None:
        existing = list(source.passages.order_by("position").values_list("heading", "text"))
        if existing == wanted and source.title == spec.title:
            return source, False
        if Passage.objects.filter(source=source, questions__isnull=False).exists():
            raise SourceConflict(SOURCE_TEXT_CHANGED.format(slug=spec.slug))
        source.passages.all().delete()
    else:
        source = Source(slug=spec.slug, created_by=created_by)
    source.title = spec.title
    source.citation = spec.citation
    source.period = spec.period
    source.text = spec.text
    source.full_clean()
    created = source.pk is None
    source.save()
    Passage.objects.bulk_create(
        Passage(source=source, position=position, heading=heading, text=text)
        for position, (heading, text) in enumerate(wanted, start=1)
    )
    return source, created
