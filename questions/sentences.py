"""The sentence of a passage that supports a question's answer, as a span of the passage.

A question may cite, besides its passage, the span [start, end) of the passage's text that says
what the answer rests on; the set format quotes it word for word (`sentence:`), and feedback
shows the passage folded to it. Pure functions over plain strings."""

from dataclasses import dataclass

NOT_IN_PASSAGE = "These words are not, word for word, in the supporting passage."


def sentence_span(text: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` stands in `text`, matched exactly (surrounding spaces ignored)."""
    wanted = sentence.strip()
    start = text.find(wanted) if wanted else -1
    return None if start < 0 else (start, start + len(wanted))


@dataclass(frozen=True)
class FoldedPassage:
    before: str
    sentence: str
    after: str


def fold(text: str, start: int | None, end: int | None) -> FoldedPassage | None:
    """The passage cut around its sentence, or None when the span does not fit the text."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return FoldedPassage(before=text[:start], sentence=text[start:end], after=text[end:])


def set_sentence(question, sentence: str) -> None:
    """Give a question (its passage set) the span of `sentence`, or none for ""; a sentence
    that is not in the passage is a ValidationError on the `sentence` field."""
    from django.core.exceptions import ValidationError

    span = None
    if sentence.strip():
        span = sentence_span(question.passage.text, sentence) if question.passage else None
        if span is None:
            raise ValidationError({"sentence": NOT_IN_PASSAGE})
    question.sentence_start, question.sentence_end = span or (None, None)


def sentence_of(question) -> str:
    """The words a saved question's span covers in its passage ("" without a span)."""
    if question.passage_id is None:
        return ""
    folded = fold(question.passage.text, question.sentence_start, question.sentence_end)
    return folded.sentence if folded else ""
