"""Small template helpers for quizsite's pages."""

from datetime import datetime, timedelta

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.safestring import SafeString

from questions import durations
from questions.formats.common import plain_text, render_markup
from questions.sentences import fold
from questions.services.claims import CLAIMABLE_KINDS
from questions.web.permissions import is_teacher as user_is_teacher
from questions.web.presenting import question_text as _question_text
from questions.web.presenting import verdict

register = template.Library()


@register.filter
def is_teacher(user) -> bool:
    return user_is_teacher(user)


@register.filter
def interval(value: timedelta | None) -> str:
    """An interval as Anki shows it on its rating buttons: now, 10m, 3h, 4d, 2.1mo, 1.3y."""
    return "" if value is None else durations.short_span(value.total_seconds())


@register.filter
def due_in(when: datetime | None, since: datetime | None = None) -> str:
    """ "now" or "in 10 minutes": from `since` (when an answer was logged, so that the words
    agree with the button that gave the interval), or else from the time of the page."""
    if when is None:
        return ""
    return durations.due_in((when - (since or timezone.now())).total_seconds())


@register.filter
def ago(when: datetime | None) -> str:
    """ "just now" or "3 days ago", with the same units and rounding as every other span."""
    if when is None:
        return ""
    return durations.ago((timezone.now() - when).total_seconds())


@register.filter
def duration(milliseconds: int | float | None) -> str:
    """Time spent, as "4 min 05 s" or "12 s"."""
    seconds = round((milliseconds or 0) / 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@register.inclusion_tag("questions/_field.html")
def field(bound: BoundField, css: str = ""):
    """A form field with its label, help and errors, linked for screen readers."""
    if bound.errors:
        bound.field.widget.attrs["aria-invalid"] = "true"
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
    if described:
        bound.field.widget.attrs["aria-describedby"] = " ".join(described)
    return {"field": bound, "css": css}


@register.filter
def gap_value(given: dict | None, gap: int) -> str:
    return (given or {}).get(f"gap_{gap}", "")


@register.filter
def pair_value(given: dict | None, left_id: int) -> str:
    return (given or {}).get(f"pair_{left_id}", "")


@register.filter
def in_given_order(items: list[dict], given: dict | None) -> list[dict]:
    """Ordering items in the order the student left them, when the page is shown again."""
    order = [str(item_id) for item_id in (given or {}).get("order", [])]
    if sorted(order) != sorted(str(item["id"]) for item in items):
        return items
    by_id = {str(item["id"]): item for item in items}
    return [by_id[item_id] for item_id in order]


@register.filter
def bound(form, name: str):
    """form[name] where the name is a variable."""
    return form[name]


@register.filter
def kind_label(kind: str) -> str:
    from questions.models import QuestionKind

    return QuestionKind(kind).label if kind in QuestionKind.values else kind


@register.filter
def urlencode_dict(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@register.filter
def markup(text: str | None) -> SafeString:
    """A question's prompt, explanation or flashcard back: imported markup cleaned and kept,
    plain text escaped, in paragraphs."""
    return render_markup(text or "")


@register.filter
def inline_markup(text: str | None) -> SafeString:
    """A choice, item or feedback text, inside a label, a list item or a table cell."""
    return render_markup(text or "", inline=True)


@register.filter
def plain(text: str | None) -> str:
    """A stored text without markup, for attribute values and <option>s (escaped as usual)."""
    return plain_text(text or "")


@register.filter
def claimable(review) -> bool:
    """The review's answer may be claimed as right ("I was right"): a typed answer graded wrong."""
    return review.is_correct is False and review.question.kind in CLAIMABLE_KINDS


@register.simple_tag
def feedback_verdict(result, lines) -> str:
    """The feedback's heading, agreeing with the marks beside its lines."""
    return verdict(is_correct=result.is_correct, rating=result.rating, lines=lines or [])


@register.filter
def is_choice_kind(kind: str) -> bool:
    """Multiple choice and true/false: feedback lists the choices rather than the parts."""
    from questions.models import QuestionKind

    return kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE)


@register.filter
def question_text(question) -> str:
    """A question as one line of plain text, cloze gaps drawn as blanks."""
    return _question_text(question)


@register.filter
def folded_passage(question):
    """The cited passage cut around the sentence the question rests on, or None."""
    if question is None or question.passage_id is None:
        return None
    return fold(question.passage.text, question.sentence_start, question.sentence_end)
