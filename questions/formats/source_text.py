"""Splitting a plain-text source into its title, period and passages."""

import re

from django.utils.text import slugify

from questions.formats.spec import PassageSpec, SourceSpec

HEADING_MAX_LENGTH = 80
SENTENCE_END = (".", "!", "?", ":", ";", "”", '"', "’", "'", ")")
IMAGE_LINE = re.compile(r"^\S+\.(?:jpe?g|png|gif|svg|webp|tiff?)$", re.IGNORECASE)
PERIOD_LINE = re.compile(r"^(?:Date|Dates|Period)\s*:\s*(?P<period>.+)$", re.IGNORECASE)


def is_heading(paragraph: str) -> bool:
    """A short single line that does not end a sentence is a heading."""
    return (
        "\n" not in paragraph
        and len(paragraph) <= HEADING_MAX_LENGTH
        and not paragraph.endswith(SENTENCE_END)
    )


def split_source_text(text: str, *, slug: str = "", citation: str = "") -> SourceSpec:
    """Turn a plain text into a SourceSpec.

    The first line is the title; a `Date: …` line gives the period; paragraphs are separated
    by blank lines; a short line without a full stop becomes the heading of the passages that
    follow it; a line that only names an image file is left out of the passages.
    """
    normalized = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not normalized:
        raise ValueError("The source text is empty.")
    paragraphs = [block.strip() for block in re.split(r"\n\s*\n", normalized) if block.strip()]
    title = paragraphs.pop(0).splitlines()[0].strip()
    period = ""
    heading = ""
    passages: list[PassageSpec] = []
    for paragraph in paragraphs:
        period_match = PERIOD_LINE.match(paragraph)
        if period_match and not passages and not period:
            period = period_match.group("period").strip()
        elif IMAGE_LINE.match(paragraph):
            continue
        elif is_heading(paragraph):
            heading = paragraph
        else:
            passages.append(PassageSpec(heading=heading, text=paragraph))
    if not passages:
        raise ValueError("The source text has no paragraphs to make passages of.")
    return SourceSpec(
        slug=slug or slugify(title)[:120],
        title=title,
        text=normalized,
        passages=passages,
        citation=citation,
        period=period,
    )
