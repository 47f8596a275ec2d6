"""CSV for the two kinds of set a spreadsheet holds well: front/back cards and multiple choice.

The header row names the columns, in any order (case does not matter):

- front/back: `front`, `back`;
- multiple choice: `question`, `choice1` … `choiceN`, `correct` (the numbers of the right
  choices, separated by `;`, e.g. `2` or `1;3`).

Both may add `id`, `title`, `topics` (topic names separated by `;`) and `explanation`.
Commas, semicolons and tabs are all accepted as the delimiter. See docs/set-format.md.
"""

import csv
import io
import re
from pathlib import Path, PurePath

from questions.formats.common import decode_utf8, spreadsheet_cell, spreadsheet_text, topic_slug
from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
    Written,
)
from questions.models.banks import QuestionKind

FLASHCARD_COLUMNS = ("front", "back")
CHOICE_COLUMN = re.compile(r"^choice\s*(\d+)$")
OPTIONAL_COLUMNS = ("id", "title", "topics", "explanation")
LIST_SEPARATOR = ";"

NO_HEADER = (
    "The first row must name the columns: 'front,back' for cards, or "
    "'question,choice1,choice2,…,correct' for multiple choice."
)
BOTH_LAYOUTS = "The header mixes front/back and multiple-choice columns; use one or the other."
UNKNOWN_COLUMNS = "Unknown columns: {columns}. Known columns: {known}."
DUPLICATE_COLUMN = "The column {column!r} appears twice in the header."
BAD_CORRECT = (
    "'correct' must name the right choices by number, separated by ';' (e.g. 2 or 1;3); "
    "got {value!r}."
)
CORRECT_OUT_OF_RANGE = "'correct' names choice {number}, but choice {number} is empty."
CSV_ERROR = "Not valid CSV: {error}."
CSV_SKIPPED = "Question {label}: a {kind} question does not fit the {layout} CSV; it was left out."
CSV_NO_SOURCE = "CSV has no place for the source text and passages; they were left out."


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header(row: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(row):
        key = re.sub(r"\s+", "", name.strip().lower())
        if not key:
            continue
        if key in columns:
            raise ImportRefused([ImportProblem(DUPLICATE_COLUMN.format(column=key), line=1)])
        columns[key] = index
    flashcards = all(name in columns for name in FLASHCARD_COLUMNS)
    choices = "question" in columns and "correct" in columns
    if flashcards and choices:
        raise ImportRefused([ImportProblem(BOTH_LAYOUTS, line=1)])
    if not flashcards and not choices:
        raise ImportRefused([ImportProblem(NO_HEADER, line=1)])
    known = set(OPTIONAL_COLUMNS) | (
        set(FLASHCARD_COLUMNS) if flashcards else {"question", "correct"}
    )
    unknown = [
        name
        for name in columns
        if name not in known and not (choices and CHOICE_COLUMN.match(name))
    ]
    if unknown:
        listed = ", ".join(sorted(known)) + (", choice1…choiceN" if choices else "")
        message = UNKNOWN_COLUMNS.format(columns=", ".join(unknown), known=listed)
        raise ImportRefused([ImportProblem(message, line=1)])
    return columns


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return spreadsheet_text(row[index].strip()) if index is not None and index < len(row) else ""


def _choice_answers(
    row: list[str], columns: dict[str, int], line: int, problems: list[ImportProblem]
) -> list[AnswerSpec]:
    numbered = sorted(
        (int(match.group(1)), index)
        for name, index in columns.items()
        if (match := CHOICE_COLUMN.match(name))
    )
    texts = {number: (row[index].strip() if index < len(row) else "") for number, index in numbered}
    correct_cell = _cell(row, columns, "correct")
    try:
        right = {int(part) for part in correct_cell.split(LIST_SEPARATOR) if part.strip()}
    except ValueError:
        right = set()
    if not right:
        problems.append(ImportProblem(BAD_CORRECT.format(value=correct_cell), line=line))
        return []
    for number in sorted(right):
        if not texts.get(number):
            problems.append(ImportProblem(CORRECT_OUT_OF_RANGE.format(number=number), line=line))
    return [
        AnswerSpec(text=text, is_correct=number in right, fraction=1.0 if number in right else 0.0)
        for number, text in texts.items()
        if text
    ]


def read_csv(content: bytes, *, filename: str, base_dir: Path | None = None) -> SetSpec:
    """A CSV file of cards or multiple-choice questions; problems name their line."""
    text = decode_utf8(content)
    reader = csv.reader(io.StringIO(text), _sniff(text))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRefused([ImportProblem(NO_HEADER, line=1)])
        columns = _header(header)
        flashcards = "front" in columns
        problems: list[ImportProblem] = []
        topics: dict[str, str] = {}
        questions: list[QuestionSpec] = []
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            question_topics = []
            for name in _cell(row, columns, "topics").split(LIST_SEPARATOR):
                if name.strip():
                    slug = topic_slug(name.strip())
                    topics.setdefault(slug, name.strip())
                    question_topics.append(slug)
            if flashcards:
                kind, prompt = QuestionKind.FLASHCARD, _cell(row, columns, "front")
                answers = [
                    AnswerSpec(text=_cell(row, columns, "back"), is_correct=True, fraction=1)
                ]
            else:
                kind, prompt = QuestionKind.MULTIPLE_CHOICE, _cell(row, columns, "question")
                answers = _choice_answers(row, columns, start, problems)
            questions.append(
                QuestionSpec(
                    kind=kind,
                    prompt=prompt,
                    answers=answers,
                    title=_cell(row, columns, "title"),
                    explanation=_cell(row, columns, "explanation"),
                    topics=question_topics,
                    external_id=_cell(row, columns, "id"),
                    line=start,
                )
            )
    except csv.Error as error:
        raise ImportRefused(
            [ImportProblem(CSV_ERROR.format(error=error), line=reader.line_num)]
        ) from None
    if problems:
        raise ImportRefused(problems)
    name = PurePath(filename)
    return SetSpec(
        title=name.stem or "Imported questions",
        external_id=f"csv:{name.name}",
        topics=topics,
        questions=questions,
    )


def write_csv(spec: SetSpec) -> Written:
    """Front/back CSV for a set of cards, else multiple-choice CSV; other kinds are left out."""
    has_choices = any(q.kind == QuestionKind.MULTIPLE_CHOICE for q in spec.questions)
    kind = QuestionKind.MULTIPLE_CHOICE if has_choices else QuestionKind.FLASHCARD
    layout = "multiple-choice" if has_choices else "front/back"
    warnings = [CSV_NO_SOURCE] if spec.source else []
    kept = []
    for number, question in enumerate(spec.questions, start=1):
        if question.kind == kind:
            kept.append(question)
        else:
            label = question.external_id or str(number)
            warnings.append(CSV_SKIPPED.format(label=label, kind=question.kind, layout=layout))
    most_choices = max((len(q.answers) for q in kept), default=2) if has_choices else 0
    if has_choices:
        header = ["id", "question"] + [f"choice{n}" for n in range(1, most_choices + 1)]
        header += ["correct"]
    else:
        header = ["id", "front", "back"]
    header += ["title", "topics", "explanation"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for question in kept:
        row = [question.external_id, question.prompt]
        if has_choices:
            texts = [answer.text for answer in question.answers]
            row += texts + [""] * (most_choices - len(texts))
            row.append(
                LIST_SEPARATOR.join(
                    str(n) for n, a in enumerate(question.answers, start=1) if a.is_correct
                )
            )
        else:
            row.append(question.answers[0].text if question.answers else "")
        row += [
            question.title,
            LIST_SEPARATOR.join(spec.topics.get(slug, slug) for slug in question.topics),
            question.explanation,
        ]
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return Written(out.getvalue().encode("utf-8"), warnings)
