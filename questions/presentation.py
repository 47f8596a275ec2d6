"""How a question is shown: to a student before answering, and the right answer afterwards.

`student_view` never contains anything that gives the answer away: no is_correct, no accepted
variants, no numbers, no explanation, no flashcard back. Choices, matching right sides and
ordering items are shuffled with a keyed, per-student order: sorted by an HMAC of the secret
key, the student, the question and the row, so a reload shows the student the same order,
another student sees another, and nobody without the key can undo it. Every order is equally
likely, the right one included: moving items away from the right order would tell the student
which order is wrong (with two items, that the reverse is right), which is also why ordering
and matching need at least three items. Items are named by item ids: a keyed hash of
(student, question, answer row), so ids are unlinkable between students and their order says
nothing either. Row ids would give the
answer away: a matching right side's row is its left side's row, ordering rows are created in
the right order, and choices in the author's order, where the right one often comes first.
questions.answer_input maps item ids back to row ids before grading, and refuses row ids.
Both views read `question.answers` and `question.topics`: prefetch them when showing many.
"""

import hashlib
import hmac

from django.conf import settings

from questions.formats.common import plain_text
from questions.models import Answer, Question, QuestionKind
from questions.validation import choice_gaps, cloze_gaps, is_distractor

ITEM_ID_LENGTH = 16


def item_id(*, question_id: int, answer_id: int, student_id: int) -> str:
    """The id a student sees for an answer row: it says nothing of the row's place or its id."""
    message = f"quizsite-item:{student_id}:{question_id}:{answer_id}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return digest[:ITEM_ID_LENGTH]


def _item(question: Question, answer: Answer, text: str, student_id: int) -> dict:
    return {
        "id": item_id(question_id=question.id, answer_id=answer.id, student_id=student_id),
        "text": text,
    }


def _shuffled(items: list[dict], *, question_id: int, student_id: int) -> list[dict]:
    """The items in this student's order for this question: a uniform permutation only the
    holder of the secret key can compute."""
    key = settings.SECRET_KEY.encode()

    def rank(item: dict) -> bytes:
        message = f"quizsite-shuffle:{student_id}:{question_id}:{item['id']}".encode()
        return hmac.new(key, message, hashlib.sha256).digest()

    return sorted(items, key=rank)


def _base(question: Question) -> dict:
    return {
        "id": question.id,
        "kind": question.kind,
        "title": question.title,
        "prompt": question.prompt,
        "set_id": question.question_set_id,
        "passage_id": question.passage_id,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in question.topics.all()],
    }


def _true_first(answers: list[Answer]) -> list[Answer]:
    """True/false always as "True" then "False", whichever row was created first."""
    return sorted(answers, key=lambda answer: answer.text.strip().lower() != "true")


def student_view(question: Question, *, student_id: int) -> dict:
    """The question as this student sees it before answering."""
    view = _base(question)
    answers = list(question.answers.all())
    match question.kind:
        case QuestionKind.MULTIPLE_CHOICE:
            choices = [_item(question, answer, answer.text, student_id) for answer in answers]
            view["choices"] = _shuffled(choices, question_id=question.id, student_id=student_id)
            view["multiple"] = sum(answer.is_correct for answer in answers) > 1
        case QuestionKind.TRUE_FALSE:
            view["choices"] = [
                _item(question, answer, answer.text, student_id) for answer in _true_first(answers)
            ]
            view["multiple"] = False
        case QuestionKind.MATCHING:
            view["left"] = [
                {"id": answer.id, "text": answer.text}
                for answer in answers
                if not is_distractor(answer)
            ]
            right = [_item(question, answer, answer.match_text, student_id) for answer in answers]
            view["right"] = _shuffled(right, question_id=question.id, student_id=student_id)
        case QuestionKind.ORDERING:
            items = [_item(question, answer, answer.text, student_id) for answer in answers]
            view["items"] = _shuffled(items, question_id=question.id, student_id=student_id)
        case QuestionKind.CLOZE:
            view["gaps"] = cloze_gaps(question.prompt)
            # A gap chosen from a list shows its options (as texts, sent back as the answer).
            view["gap_choices"] = {
                str(gap): [plain_text(a.text) for a in answers if a.gap == gap]
                for gap in sorted(choice_gaps(answers))
            }
    return view


def answer_view(question: Question, *, student_id: int) -> dict:
    """The right answer and explanation, shown once the student has answered, with the item
    ids this student was shown."""
    view = _base(question)
    view["explanation"] = question.explanation
    answers = list(question.answers.all())
    match question.kind:
        case QuestionKind.FLASHCARD:
            view["back"] = answers[0].text if answers else ""
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.TRUE_FALSE:
            if question.kind == QuestionKind.TRUE_FALSE:
                answers = _true_first(answers)
            view["choices"] = [
                {
                    **_item(question, answer, answer.text, student_id),
                    "is_correct": answer.is_correct,
                    "feedback": answer.feedback,
                }
                for answer in answers
            ]
        case QuestionKind.SHORT_ANSWER:
            view["accepted"] = [answer.text for answer in answers if answer.is_correct]
        case QuestionKind.NUMERICAL:
            view["values"] = [
                {"number": answer.number, "tolerance": answer.tolerance or 0}
                for answer in answers
                if answer.is_correct
            ]
        case QuestionKind.CLOZE:
            view["gaps"] = {
                str(gap): [a.text for a in answers if a.gap == gap and a.is_correct]
                for gap in cloze_gaps(question.prompt)
            }
        case QuestionKind.MATCHING:
            view["pairs"] = [
                {
                    "left": {"id": answer.id, "text": answer.text},
                    "right": _item(question, answer, answer.match_text, student_id),
                }
                for answer in answers
                if not is_distractor(answer)
            ]
        case QuestionKind.ORDERING:
            ordered = sorted(answers, key=lambda answer: (answer.position, answer.id))
            view["order"] = [_item(question, answer, answer.text, student_id) for answer in ordered]
    return view
