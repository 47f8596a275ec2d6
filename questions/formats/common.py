"""Helpers every reader and writer shares: decoding, HTML cleaning, numbers, topics."""

import codecs
import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from charset_normalizer import from_bytes
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

from questions.formats.spec import ImportProblem, ImportRefused

NOT_UTF8 = (
    "The file is not UTF-8 text (the first bad byte is on line {line}, column {column}). "
    "Save it as UTF-8 and import it again, or name its encoding."
)
NOT_IN_ENCODING = (
    "The file is not {encoding} text (the first bad byte is on line {line}, column {column}). "
    "Name the encoding it was saved in."
)
LIKELY_ENCODING = " It looks like {label}: import it again with that encoding ({encoding})."
UNKNOWN_ENCODING = "Unknown encoding {encoding!r}; name one such as utf-8, windows-1252 or latin-1."
DEFAULT_ENCODING = "utf-8"
COMMON_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "iso8859-1": "ISO-8859-1 (Latin-1)",
    "iso8859-15": "ISO-8859-15 (Latin-9)",
    "cp1250": "Windows-1250 (Central European)",
    "iso8859-2": "ISO-8859-2 (Latin-2)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "koi8-r": "KOI8-R (Russian)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "mac-roman": "Mac OS Roman",
    "shift_jis": "Shift JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "euc_kr": "EUC-KR (Korean)",
}
"""Encodings a teacher picks from, by Python's canonical codec names."""

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


def check_encoding(encoding: str) -> str:
    """The codec's canonical name, or ImportRefused for an encoding Python does not know."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        info = None
    # Codecs that are no text encoding (rot13, base64, zlib) cannot decode a file either.
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise ImportRefused([ImportProblem(UNKNOWN_ENCODING.format(encoding=encoding))])
    return info.name


def likely_encoding(content: bytes) -> str | None:
    """The encoding charset-normalizer finds most likely for bytes that are not UTF-8."""
    best = from_bytes(content[:200_000]).best()
    if best is None or codecs.lookup(best.encoding).name == "utf-8":
        return None
    return codecs.lookup(best.encoding).name


def decode_text(content: bytes, encoding: str | None = None) -> str:
    """The text of an uploaded file in `encoding` (UTF-8 by default, a byte-order mark
    allowed), with \\n line ends; else ImportRefused naming where it stops being that
    encoding and, for a file that is not UTF-8, the encoding it most likely is."""
    codec = check_encoding(encoding or DEFAULT_ENCODING)
    if codec == "utf-8":
        codec = "utf-8-sig"
    try:
        text = content.decode(codec)
    except UnicodeDecodeError as error:
        before = content[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        if codec == "utf-8-sig":
            message = NOT_UTF8.format(line=line, column=column)
        else:
            message = NOT_IN_ENCODING.format(encoding=codec, line=line, column=column)
        guess = likely_encoding(content)
        if guess and guess != codecs.lookup(codec).name:
            label = COMMON_ENCODINGS.get(guess, guess)
            message += LIKELY_ENCODING.format(label=label, encoding=guess)
        raise ImportRefused([ImportProblem(message, line=line)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_utf8(content: bytes) -> str:
    """The text of an uploaded UTF-8 file, or ImportRefused naming where it stops being UTF-8."""
    return decode_text(content)


VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _StylesAsTags(HTMLParser):
    """Rewrites `<span style="font-style: italic">` as <em>, bold as <strong>, underline as
    <u>: the inline styles Moodle's editor writes, which the cleaner would strip."""

    STYLE_TAGS = (
        (re.compile(r"font-style\s*:\s*(italic|oblique)", re.I), "em"),
        (re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I), "strong"),
        (re.compile(r"text-decoration[a-z-]*\s*:[^;]*underline", re.I), "u"),
        (re.compile(r"text-decoration[a-z-]*\s*:[^;]*line-through", re.I), "s"),
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.opened: dict[str, list[list[str]]] = {}

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        style = dict(attrs).get("style") or ""
        wrap = [name for pattern, name in self.STYLE_TAGS if pattern.search(style)]
        if tag in VOID_TAGS:
            return
        self.out += [f"<{name}>" for name in wrap]
        self.opened.setdefault(tag, []).append(wrap)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        stack = self.opened.get(tag)
        if stack:
            self.out += [f"</{name}>" for name in reversed(stack.pop())]
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data):
        pass


def _styles_as_tags(text: str) -> str:
    if "style" not in text:
        return text
    parser = _StylesAsTags()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


TRAILING_BREAKS = re.compile(r"(?:\s*<br\s*/?>)+\s*$", re.IGNORECASE)
MARKDOWN = MarkdownIt("commonmark")


def markdown_to_html(text: str) -> str:
    """Markdown (Moodle's FORMAT_MARKDOWN) as safe markup."""
    return clean_html(MARKDOWN.render(text))


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
        _styles_as_tags(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_same_site_source,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    ).strip()
    match = WRAPPING_PARAGRAPH.match(cleaned)
    if match:
        cleaned = match.group(1).strip()
    # An editor's trailing line break (Moodle writes "<p>2<br></p>") is no part of the text.
    return TRAILING_BREAKS.sub("", cleaned)


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


TOPIC_PATH_SEPARATOR = " › "
MOODLE_GRADES = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip
"""The credits Moodle allows an answer (and their negatives); it refuses a file with others."""


def category_topic(path: str) -> tuple[str, str] | None:
    """The (slug, name) of the topic a Moodle category path names: `$course$/top/Iota/Kappa`
    is the topic "Iota › Kappa" (Moodle writes a `/` inside a name as `//`)."""
    parts = [part.replace("\0", "/").strip() for part in path.replace("//", "\0").split("/")]
    parts = [part for part in parts if part and not part.startswith("$") and part.lower() != "top"]
    if not parts:
        return None
    name = TOPIC_PATH_SEPARATOR.join(parts)
    return topic_slug(name), name


def moodle_grade(fraction: float) -> float | None:
    """The grade of Moodle's list that `fraction` is (within Moodle's 0.00001), or None."""
    for grade in MOODLE_GRADES:
        if abs(abs(fraction) - grade) < 0.00001:
            return grade if fraction >= 0 else -grade
    return None


INVALID_GRADES = (
    "The grades {grades} are not among those Moodle allows (100%, 90%, 83.33333%, 80%, 75%, "
    "70%, 66.66667%, 60%, 50%, 40%, 33.33333%, 30%, 25%, 20%, 16.66667%, 14.28571%, 12.5%, "
    "11.11111%, 10%, 5%, 0% and their negatives)."
)


def invalid_grades(fractions: list[float]) -> str | None:
    """The message refusing credits Moodle would refuse, or None when all are Moodle's."""
    wrong = [fraction for fraction in fractions if moodle_grade(fraction) is None]
    if not wrong:
        return None
    return INVALID_GRADES.format(grades=", ".join(f"{fraction:g}" for fraction in wrong))


GRADES_MOODLE_REFUSES = "Question {label}: {message} Moodle will refuse this file."
GRADED_KINDS = {"multiple_choice", "short_answer", "numerical"}
"""The kinds whose answers' credits Moodle checks against its list of grades."""


def grades_moodle_refuses(question, *, label: str) -> str | None:
    """An export's warning for a question whose credits Moodle would refuse, or None."""
    if question.kind not in GRADED_KINDS:
        return None
    message = invalid_grades([answer.fraction for answer in question.answers])
    return GRADES_MOODLE_REFUSES.format(label=label, message=message) if message else None
