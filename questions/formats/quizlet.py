"""Quizlet's text export: one card per line, term and definition separated by a tab or a
comma, no header — or, when definitions run over several lines, a separator of the
teacher's choosing between cards (Quizlet's "Between rows: custom"), such as `;;` or a blank
line. A header row `term,definition` (or with a tab) is understood and skipped.

The separators are found from the file: a tab if the file has one, else a comma, between term
and definition; between cards a new line when every line holds a card, else the one separator
that leaves a term and a definition in every card. See docs/set-format.md.
"""

import re
from collections import Counter
from pathlib import Path, PurePath

from questions.formats.common import decode_utf8, html_to_text, looks_like_html
from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
    Written,
)
from questions.models.banks import QuestionKind

HEADER = ("term", "definition")
SEPARATOR_RUN = re.compile(r"[^\w]+")
MAX_SEPARATOR = 8
MOST_COMMON_RUNS, MAX_CANDIDATES = 50, 40
"""How many marks are tried, so that a large file is cut up in a moment."""
"""A custom separator between cards is punctuation or space, like `;;`, `|` or a blank line."""

NO_CARDS = "The file holds no cards: write one per line, as term<tab>definition."
NO_TERM_SEPARATOR = (
    "No tab or comma between term and definition; write each card as term<tab>definition "
    "or term,definition."
)
NO_CARD_SEPARATOR = (
    "Cannot tell where one card ends and the next begins: line {line} has no {separator} "
    "between term and definition. Put each card on a line of its own, or separate cards "
    "with a mark that appears nowhere else, such as ;;"
)
EMPTY_SIDE = "The card has no {side}."
QUIZLET_SKIPPED = "Question {label}: a {kind} question is not a card; it was left out."
QUIZLET_FLATTENED = (
    "{count} cards had line breaks or tabs, which Quizlet's text import cannot hold; they "
    "were written as spaces."
)
QUIZLET_MARKUP = "{count} cards had formatting or images, which Quizlet's text cannot hold."
SEPARATOR_NAMES = {"\t": "tab", ",": "comma"}


def _pieces(text: str, separator: str) -> list[tuple[int, str]]:
    """The non-blank pieces of `text` between separators, each with its offset."""
    pieces, offset = [], 0
    for piece in text.split(separator):
        if piece.strip():
            pieces.append((offset, piece))
        offset += len(piece) + len(separator)
    return pieces


def _separator_candidates(text: str, term_separator: str) -> list[str]:
    """Marks that may separate cards: `;` (Quizlet's other choice), then the runs of
    punctuation and space in the file, and parts of them, the most frequent first."""
    runs = Counter(run[:MAX_SEPARATOR] for run in SEPARATOR_RUN.findall(text))
    frequency: Counter[str] = Counter()
    for run, count in runs.most_common(MOST_COMMON_RUNS):
        for mark in {run[i:j] for i in range(len(run)) for j in range(i + 1, len(run) + 1)}:
            if term_separator not in mark and mark.strip(" "):
                frequency[mark] += count
    candidates = sorted(frequency, key=lambda mark: (-frequency[mark], -len(mark), mark))
    return [";", *candidates[:MAX_CANDIDATES]]


def _cards(text: str, term_separator: str) -> list[tuple[int, str]]:
    """The file cut into cards, each with the offset where it starts."""
    lines = _pieces(text, "\n")
    one_a_line = all(term_separator in line for _, line in lines) and not (
        term_separator == "\t" and any(line.count("\t") > 1 for _, line in lines)
    )
    best: list[tuple[int, str]] = []
    fewest = len(lines) if one_a_line else 2
    for candidate in _separator_candidates(text, term_separator):
        if text.count(candidate) + 1 < max(fewest, len(best) + 1):
            continue  # cannot make more cards than the best so far
        pieces = [piece for piece in text.split(candidate) if piece.strip()]
        if len(pieces) > len(best) and all(term_separator in piece for piece in pieces):
            best = _pieces(text, candidate)
    # A mark between cards wins over new lines when it makes more cards, or as many cards
    # of which some run over several lines: the reason to choose a mark of one's own.
    multi_line = any("\n" in card.strip() for _, card in best)
    if one_a_line and (len(best) < len(lines) or (len(best) == len(lines) and not multi_line)):
        return lines
    if len(best) > 1:
        return best
    if all(term_separator in line for _, line in lines):
        return lines
    offset = next((o for o, line in lines if term_separator not in line), lines[0][0])
    line = text.count("\n", 0, offset) + 1
    separator = SEPARATOR_NAMES[term_separator]
    raise ImportRefused(
        [ImportProblem(NO_CARD_SEPARATOR.format(line=line, separator=separator), line=line)]
    )


def _is_header(card: str, term_separator: str) -> bool:
    return tuple(part.strip().lower() for part in card.split(term_separator)) == HEADER


def read_quizlet(content: bytes, *, filename: str, base_dir: Path | None = None) -> SetSpec:
    """A Quizlet export as flashcards: the term on the front, the definition on the back."""
    text = decode_utf8(content)
    if not text.strip():
        raise ImportRefused([ImportProblem(NO_CARDS)])
    term_separator = "\t" if "\t" in text else ","
    if term_separator not in text:
        raise ImportRefused([ImportProblem(NO_TERM_SEPARATOR, line=1)])
    cards = _cards(text, term_separator)
    if cards and _is_header(cards[0][1], term_separator):
        cards = cards[1:]
    problems: list[ImportProblem] = []
    questions: list[QuestionSpec] = []
    line, counted_to = 1, 0
    for offset, card in cards:
        start = offset + len(card) - len(card.lstrip())
        line += text.count("\n", counted_to, start)
        counted_to = start
        term, definition = (part.strip() for part in card.split(term_separator, 1))
        for side, value in (("term", term), ("definition", definition)):
            if not value:
                problems.append(ImportProblem(EMPTY_SIDE.format(side=side), line=line))
        questions.append(
            QuestionSpec(
                kind=QuestionKind.FLASHCARD,
                prompt=term,
                answers=[AnswerSpec(text=definition, is_correct=True, fraction=1)],
                line=line,
            )
        )
    if problems:
        raise ImportRefused(problems)
    if not questions:
        raise ImportRefused([ImportProblem(NO_CARDS)])
    name = PurePath(filename)
    return SetSpec(
        title=name.stem or "Quizlet set",
        external_id=f"quizlet:{name.name}",
        questions=questions,
    )


def _plain(text: str) -> tuple[str, bool, bool]:
    """A text as one line of plain text; whether it had markup, and line breaks or tabs."""
    had_markup = looks_like_html(text)
    plain = html_to_text(text) if had_markup else text
    flat = re.sub(r"\s*[\t\n]\s*", " ", plain).strip()
    return flat, had_markup, flat != plain.strip()


def write_quizlet(spec: SetSpec) -> Written:
    """The set's flashcards as Quizlet imports them: term<tab>definition, one card a line."""
    lines, warnings = [], []
    flattened = with_markup = 0
    for number, question in enumerate(spec.questions, start=1):
        if question.kind != QuestionKind.FLASHCARD:
            label = question.external_id or str(number)
            warnings.append(QUIZLET_SKIPPED.format(label=label, kind=question.kind))
            continue
        term, term_markup, term_flat = _plain(question.prompt)
        definition, back_markup, back_flat = _plain(question.answers[0].text)
        flattened += term_flat or back_flat
        with_markup += term_markup or back_markup
        lines.append(f"{term}\t{definition}\n")
    if flattened:
        warnings.append(QUIZLET_FLATTENED.format(count=flattened))
    if with_markup:
        warnings.append(QUIZLET_MARKUP.format(count=with_markup))
    return Written("".join(lines).encode("utf-8"), warnings)
