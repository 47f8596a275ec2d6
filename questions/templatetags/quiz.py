"""Small template helpers for quizsite's pages."""

from datetime import timedelta

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from questions.formats.common import plain_text, render_markup
from questions.services.claims import CLAIMABLE_KINDS
from questions.web.permissions import is_teacher as user_is_teacher

register = template.Library()


@register.filter
def is_teacher(user) -> bool:
    return user_is_teacher(user)


@register.filter
def interval(value: timedelta | None) -> str:
    """An interval as Anki shows it on its rating buttons: 1m, 10m, 3h, 4d, 2.1mo, 1.3y."""
    if value is None:
        return ""
    seconds = value.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


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
