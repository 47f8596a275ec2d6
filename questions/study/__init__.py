"""The study step: the use cases the pages and the API both call, and nothing else.

- resolve_scope: the set, topic or passage a request names, checked against what the caller may
  study (what they may not see is missing);
- queue / next_step / session_summary: what to study next, passage practice and the session cap
  (session_size_for: the student's length, else the set's, else SESSION_SIZE), and why a
  session ended with what may follow it (study more, more new cards, ahead, mistakes);
- rating_previews / flashcard_reveal: when a flashcard would be due after each self-rating;
- submit_answer: the student's answer to the grader's input, graded, scheduled and logged,
  returned as plain data (each front end renders the right answer itself).

Two words mean one thing everywhere:

"Ahead" is work offered or done before the scheduler asks for it. A queue item has reason
"ahead" when it is not due: with `ahead=True` (the API's `?ahead=1`), the studied cards not yet
due, soonest first, after everything due and new; in passage practice, the passage's remaining
questions. An answer to a studied card before its due date is logged with ReviewMode.AHEAD
whichever front end sent it, and FSRS weighs it by the retrievability at that moment; a first
answer to a new question is its first scheduled review, never "ahead".

"Passage practice" is studying a passage's questions while reading it: once nothing of the
passage is due (or new within the daily limits), a session goes on with the passage's questions
that this session has not answered yet, in passage order, each once, until the session cap.
It needs a session (the pages' study session), since "not answered yet" is counted per session.
"""

from questions.study.answering import (
    NOT_STUDYABLE,
    answer_field,
    answerable_question,
    answerable_questions,
    submit_answer,
)
from questions.study.previews import flashcard_reveal, preview_days, rating_previews
from questions.study.scope import Scope, ScopeNotFound, resolve_scope
from questions.study.session_end import SessionSummary, session_summary
from questions.study.step import (
    SESSION_SIZE,
    Step,
    next_item,
    next_step,
    queue,
    session_answers,
    session_size_for,
)

__all__ = [
    "NOT_STUDYABLE",
    "SESSION_SIZE",
    "Scope",
    "ScopeNotFound",
    "SessionSummary",
    "Step",
    "answer_field",
    "answerable_question",
    "answerable_questions",
    "flashcard_reveal",
    "next_item",
    "next_step",
    "preview_days",
    "queue",
    "rating_previews",
    "resolve_scope",
    "session_answers",
    "session_size_for",
    "session_summary",
    "submit_answer",
]
