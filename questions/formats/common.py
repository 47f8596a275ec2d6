"""Helpers every reader and writer shares: decoding, HTML cleaning, numbers, topics."""

import html
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from questions.formats.spec import ImportProblem, ImportRefused

NOT_UTF8 = (
    "The file is not UTF-8 text (the first bad byte is on line {line}, column {column}). "
    "Save it as UTF-8 and import it again."
)

# The markup an imported text may keep: formatting, lists, tables, images and sound.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul", "audio",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "audio": {"src", "controls"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
LINE_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>|</div>\s*<div[^>]*>", re.IGNORECASE)
WRAPPING_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p>).)*)</p>$", re.DOTALL)


def decode_utf8(content: bytes) -> str:
    """The text of an uploaded file, or ImportRefused naming where it stops being UTF-8."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = content[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise ImportRefused(
            [ImportProblem(NOT_UTF8.format(line=line, column=column), line=line)]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _same_site_source(tag: str, attribute: str, value: str) -> str | None:
    """Images and sound load only from this site (imported media is stored here) or from a
    host the site allows in QUIZSITE_MARKUP_SOURCE_HOSTS: an outside `src` could track
    students. Links (`href`) are kept; following one is the student's choice."""
    if attribute != "src":
        return value
    parts = urlsplit(value.strip())
    if not parts.scheme and not parts.netloc:
        return value
    if parts.scheme == "https" and parts.hostname in settings.QUIZSITE_MARKUP_SOURCE_HOSTS:
        return value
    return None


def clean_html(text: str) -> str:
    """Safe markup from untrusted HTML; a lone wrapping paragraph is dropped."""
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_same_site_source,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    ).strip()
    match = WRAPPING_PARAGRAPH.match(cleaned)
    return match.group(1).strip() if match else cleaned


def html_to_text(text: str) -> str:
    """Plain text from HTML, for answers a student types (line breaks become spaces)."""
    without_breaks = LINE_BREAK.sub(" ", text)
    stripped = nh3.clean(without_breaks, tags=set(), clean_content_tags={"script", "style"})
    return re.sub(r"[ \t\u00a0]+", " ", html.unescape(stripped)).strip()


def looks_like_html(text: str) -> bool:
    return bool(HTML_TAG.search(text))


def render_markup(text: str, *, inline: bool = False) -> SafeString:
    """A stored text for a page: imported markup cleaned again and kept, plain text escaped
    with its line breaks, as paragraphs or, `inline`, as <br>s (for a label or a table cell).
    Safe for any stored text, whoever wrote it."""
    if looks_like_html(text):
        return mark_safe(clean_html(text))  # cleaned by nh3 just now
    if inline:
        return linebreaksbr(text)  # escapes, then adds <br>s
    return mark_safe(linebreaks(text, autoescape=True))


def plain_text(text: str) -> str:
    """A stored text without its markup, for where only text may go: an attribute, an option."""
    return html_to_text(text) if looks_like_html(text) else text


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def spreadsheet_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection): a cell that starts like
    one gets a leading apostrophe, which spreadsheets hide. Numbers such as -3 stay numbers."""
    text = "" if value is None else str(value)
    starts_like_formula = text[:1] in FORMULA_STARTS and not _is_number(text)
    if starts_like_formula or (text[:1] == "'" and text[1:2] in FORMULA_STARTS):
        return "'" + text
    return text


def spreadsheet_text(cell: str) -> str:
    """The text of a cell written by spreadsheet_cell, so an exported file imports as it was."""
    if cell[:1] == "'" and cell[1:2] in (*FORMULA_STARTS, "'"):
        return cell[1:]
    return cell


def number_text(number: float) -> str:
    """How a numerical answer's value is written: 1968, not 1968.0."""
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def topic_slug(name: str) -> str:
    return slugify(name)[:100] or "topic"
