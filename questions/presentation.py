"""How a question is shown: to a student before answering, and the right answer afterwards.

`student_view` never contains anything that gives the answer away: no is_correct, no accepted
variants, no numbers, no explanation, no flashcard back; matching right sides and ordering items
are shuffled, deterministically per question so that a reload shows the same order.
Both functions read `question.answers` and `question.topics`: prefetch them when showing many.
"""

import random

from questions.models import Question, QuestionKind
from questions.validation import cloze_gaps

CHOICE_KINDS = (QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE)


def _shuffled(items: list, *, question_id: int, purpose: str) -> list:
    shuffled = list(items)
    random.Random(f"{question_id}:{purpose}").shuffle(shuffled)
    # Never show items already in their right order when another order exists.
    if len(shuffled) > 1 and shuffled == items:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


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


def student_view(question: Question) -> dict:
    """The question as a student sees it before answering."""
    view = _base(question)
    answers = list(question.answers.all())
    match question.kind:
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.TRUE_FALSE:
            view["choices"] = [{"id": answer.id, "text": answer.text} for answer in answers]
            view["multiple"] = sum(answer.is_correct for answer in answers) > 1
        case QuestionKind.MATCHING:
            view["left"] = [{"id": answer.id, "text": answer.text} for answer in answers]
            right = [{"id": answer.id, "text": answer.match_text} for answer in answers]
            view["right"] = _shuffled(right, question_id=question.id, purpose="right")
        case QuestionKind.ORDERING:
            items = [{"id": answer.id, "text": answer.text} for answer in answers]
            view["items"] = _shuffled(items, question_id=question.id, purpose="items")
        case QuestionKind.CLOZE:
            view["gaps"] = cloze_gaps(question.prompt)
    return view


def answer_view(question: Question) -> dict:
    """The right answer and explanation, shown once the student has answered."""
    view = _base(question)
    view["explanation"] = question.explanation
    answers = list(question.answers.all())
    match question.kind:
        case QuestionKind.FLASHCARD:
            view["back"] = answers[0].text if answers else ""
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.TRUE_FALSE:
            view["choices"] = [
                {
                    "id": answer.id,
                    "text": answer.text,
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
                    "right": {"id": answer.id, "text": answer.match_text},
                }
                for answer in answers
            ]
        case QuestionKind.ORDERING:
            ordered = sorted(answers, key=lambda answer: (answer.position, answer.id))
            view["order"] = [{"id": answer.id, "text": answer.text} for answer in ordered]
    return view
