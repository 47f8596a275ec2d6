"""The rules a question's answer key must follow, shared by the admin, services and importers."""

import re
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError

from questions.domain import QuestionKind
from questions.limits import ANSWER_LENGTH, PROMPT_LENGTH

GAP_PATTERN = re.compile(r"\{\{(\d+)\}\}")

NEEDS_ONE_ANSWER = "A flashcard needs exactly one answer: its back."
NEEDS_A_RIGHT_CHOICE = "A multiple-choice question needs at least one right choice."
NEEDS_TWO_CHOICES = "A multiple-choice question needs at least two choices."
TRUE_FALSE_SHAPE = (
    "A true/false question has exactly two choices, True and False, one of them right."
)
NEEDS_AN_ACCEPTED_ANSWER = "A short answer question needs at least one accepted answer."
NEEDS_A_NUMBER = "A numerical question needs at least one accepted value."
NUMBER_MISSING = "Every numerical answer needs a number."
CLOZE_NEEDS_GAP = "A cloze question needs at least one gap written as {{1}} in its prompt."
# With two pairs or items, any shown order that is not the answer gives it away (its reverse).
MIN_ORDERED_ITEMS = 3
MATCHING_NEEDS_THREE_PAIRS = f"A matching question needs at least {MIN_ORDERED_ITEMS} pairs."
MATCHING_PAIR_INCOMPLETE = "Every matching pair needs both a left and a right side."
ORDERING_NEEDS_THREE_ITEMS = f"An ordering question needs at least {MIN_ORDERED_ITEMS} items."
EMPTY_ANSWER_TEXT = "Answers may not be empty."
CHOICE_GAP_MIXED = (
    "Gap {gap} mixes options to choose with answers to type; make it one or the other."
)
CHOICE_GAP_NEEDS_TWO = "Gap {gap} is chosen from a list, and needs at least two options."
TOO_MANY_ANSWERS = (
    "A question may have at most {limit} choices, pairs, items or accepted answers "
    "(QUIZSITE_MAX_ANSWERS); this one has {count}."
)
TOO_MANY_GAPS = (
    "A cloze question may have at most {limit} gaps (QUIZSITE_MAX_GAPS); this has {count}."
)
PASSAGE_REQUIRED = "This set has a source: choose the passage that supports the answer."
PASSAGE_FROM_OTHER_SOURCE = "The passage must come from this set's source."
PASSAGE_WITHOUT_SOURCE = "This set has no source, so its questions cannot cite a passage."


class AnswerLike(Protocol):
    text: str
    match_text: str
    is_correct: bool
    fraction: float
    gap: int | None
    number: float | None
    tolerance: float | None


ANY_OTHER_ANSWER = "*"


def is_any_other(answer: AnswerLike) -> bool:
    """A numerical row with no number, text `*` and no credit: Moodle's "any other answer",
    kept for its feedback; grading never matches it."""
    return answer.number is None and answer.text == ANY_OTHER_ANSWER and not answer.is_correct


def is_distractor(answer: AnswerLike) -> bool:
    """A matching row with a right side but no left side: an extra wrong answer to choose."""
    return not answer.text.strip() and bool(answer.match_text.strip()) and not answer.is_correct


def _size_errors(*, prompt: str, answers: list) -> list[str]:
    errors = []
    if len(answers) > settings.QUIZSITE_MAX_ANSWERS:
        errors.append(
            TOO_MANY_ANSWERS.format(limit=settings.QUIZSITE_MAX_ANSWERS, count=len(answers))
        )
    gaps = len(cloze_gaps(prompt))
    if gaps > settings.QUIZSITE_MAX_GAPS:
        errors.append(TOO_MANY_GAPS.format(limit=settings.QUIZSITE_MAX_GAPS, count=gaps))
    for validator, text in [(PROMPT_LENGTH, prompt)] + [
        (ANSWER_LENGTH, getattr(answer, name, "") or "")
        for answer in answers
        for name in ("text", "match_text", "feedback")
    ]:
        try:
            validator(text)
        except ValidationError as error:
            errors.extend(error.messages)
            break
    return errors


def cloze_gaps(prompt: str) -> list[int]:
    """The gap numbers of a cloze prompt, in order of first appearance."""
    seen: list[int] = []
    for match in GAP_PATTERN.finditer(prompt):
        number = int(match.group(1))
        if number not in seen:
            seen.append(number)
    return seen


def validate_answer_key(*, kind: str, prompt: str, answers: Iterable[AnswerLike]) -> None:
    """Raise ValidationError when the answers do not make a valid question of this kind."""
    answers = list(answers)
    errors = _size_errors(prompt=prompt, answers=answers)
    if errors:  # checking the key of a huge question would take the worker's time
        raise ValidationError(errors)
    match kind:
        case QuestionKind.FLASHCARD:
            if len(answers) != 1 or not answers[0].text.strip():
                errors.append(NEEDS_ONE_ANSWER)
        case QuestionKind.MULTIPLE_CHOICE:
            if len(answers) < 2:
                errors.append(NEEDS_TWO_CHOICES)
            if not any(answer.is_correct for answer in answers):
                errors.append(NEEDS_A_RIGHT_CHOICE)
        case QuestionKind.TRUE_FALSE:
            texts = sorted(answer.text.strip().lower() for answer in answers)
            right = [answer for answer in answers if answer.is_correct]
            if texts != ["false", "true"] or len(right) != 1:
                errors.append(TRUE_FALSE_SHAPE)
        case QuestionKind.SHORT_ANSWER:
            if not any(answer.is_correct for answer in answers):
                errors.append(NEEDS_AN_ACCEPTED_ANSWER)
        case QuestionKind.NUMERICAL:
            if not any(answer.is_correct for answer in answers):
                errors.append(NEEDS_A_NUMBER)
            if any(answer.number is None and not is_any_other(answer) for answer in answers):
                errors.append(NUMBER_MISSING)
        case QuestionKind.CLOZE:
            gaps = cloze_gaps(prompt)
            if not gaps:
                errors.append(CLOZE_NEEDS_GAP)
            answered = {answer.gap for answer in answers if answer.is_correct}
            missing = [gap for gap in gaps if gap not in answered]
            if missing:
                errors.append(
                    "Every gap needs an accepted answer; missing for gap "
                    + ", ".join(f"{{{{{gap}}}}}" for gap in missing)
                    + "."
                )
            errors += _choice_gap_errors(answers)
            stray = sorted({answer.gap for answer in answers} - set(gaps), key=lambda g: g or 0)
            if stray:
                errors.append(
                    "Answers name gaps the prompt does not have: "
                    + ", ".join(str(gap) for gap in stray)
                    + "."
                )
        case QuestionKind.MATCHING:
            pairs = [answer for answer in answers if not is_distractor(answer)]
            if len(pairs) < MIN_ORDERED_ITEMS:
                errors.append(MATCHING_NEEDS_THREE_PAIRS)
            if any(not answer.text.strip() or not answer.match_text.strip() for answer in pairs):
                errors.append(MATCHING_PAIR_INCOMPLETE)
        case QuestionKind.ORDERING:
            if len(answers) < MIN_ORDERED_ITEMS:
                errors.append(ORDERING_NEEDS_THREE_ITEMS)
        case _:
            errors.append(f"Unknown question type {kind!r}.")
    if kind not in (QuestionKind.NUMERICAL, QuestionKind.MATCHING) and any(
        not answer.text.strip() for answer in answers
    ):
        errors.append(EMPTY_ANSWER_TEXT)
    if errors:
        raise ValidationError(errors)


def choice_gaps(answers: Iterable[AnswerLike]) -> set[int]:
    """The gaps of a cloze whose answer is chosen from a list of options."""
    return {
        answer.gap
        for answer in answers
        if getattr(answer, "is_choice", False) and answer.gap is not None
    }


def _choice_gap_errors(answers: list[AnswerLike]) -> list[str]:
    errors = []
    for gap in sorted(choice_gaps(answers)):
        rows = [answer for answer in answers if answer.gap == gap]
        if not all(getattr(answer, "is_choice", False) for answer in rows):
            errors.append(CHOICE_GAP_MIXED.format(gap=gap))
        elif len(rows) < 2:
            errors.append(CHOICE_GAP_NEEDS_TWO.format(gap=gap))
    return errors


def validate_passage(*, set_source_id: int | None, passage_source_id: int | None) -> None:
    if set_source_id is None and passage_source_id is not None:
        raise ValidationError({"passage": PASSAGE_WITHOUT_SOURCE})
    if set_source_id is not None and passage_source_id is None:
        raise ValidationError({"passage": PASSAGE_REQUIRED})
    if set_source_id is not None and passage_source_id != set_source_id:
        raise ValidationError({"passage": PASSAGE_FROM_OTHER_SOURCE})


def validate_question_fields(question) -> None:
    """Model-level rules of a Question; its answers are checked where they are edited."""
    if question.kind == QuestionKind.CLOZE and not cloze_gaps(question.prompt):
        raise ValidationError({"prompt": CLOZE_NEEDS_GAP})
    if question.question_set_id is None:
        return
    validate_passage(
        set_source_id=question.question_set.source_id,
        passage_source_id=question.passage.source_id if question.passage_id else None,
    )
