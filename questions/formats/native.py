"""Reading the project's own set format: a YAML file a teacher can read and edit by hand, parsed
into a SetSpec with the line of every problem (the writer is native_export).

See docs/set-format.md for the full description with an example of every question type.
"""

from pathlib import Path
from typing import Any

import yaml

from questions.formats.source_text import split_source_text
from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    PassageSpec,
    QuestionSpec,
    SetSpec,
    SourceSpec,
)
from questions.models.banks import QuestionKind
from questions.validation import ANY_OTHER_ANSWER

FORMAT_KEY = "quizsite"
FORMAT_VERSION = 1
LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, for error messages."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


class _Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, message: str, *, at: dict | None = None, question: str | None = None) -> None:
        line = at.get(LINE_KEY) if isinstance(at, dict) else None
        self.items.append(ImportProblem(message=message, line=line, question=question))


def _text(mapping: dict, key: str, problems: _Problems, *, required: bool = False) -> str:
    value = mapping.get(key)
    if value is None:
        if required:
            problems.add(f"'{key}' is required.", at=mapping)
        return ""
    if isinstance(value, bool | dict | list):
        problems.add(f"'{key}' must be text.", at=mapping)
        return ""
    return str(value).strip()


def _percent(value: Any, default: float) -> float:
    if value is None:
        return default
    return float(value) / 100


def _variant(variant: Any, problems: _Problems) -> AnswerSpec:
    """An accepted answer: its text, or a mapping with text, weight (percent) and feedback."""
    if not isinstance(variant, dict):
        return AnswerSpec(text=str(variant).strip(), is_correct=True, fraction=1)
    fraction = _percent(variant.get("weight"), 1.0)
    return AnswerSpec(
        text=_text(variant, "text", problems, required=True),
        is_correct=fraction > 0,
        fraction=fraction,
        feedback=_text(variant, "feedback", problems),
    )


def _gap_options(options: Any, gap: int, problems: _Problems) -> list[AnswerSpec]:
    """A gap chosen from a list: `choose: [{text: Paris, correct: true}, London, …]`."""
    if not isinstance(options, list):
        raise ValueError("'choose' must be a list of the gap's options.")
    answers = []
    for option in options:
        entry = option if isinstance(option, dict) else {"text": option}
        correct = bool(entry.get("correct"))
        answers.append(
            AnswerSpec(
                text=_text(entry, "text", problems, required=True),
                is_correct=correct,
                fraction=_percent(entry.get("weight"), 1.0 if correct else 0.0),
                feedback=_text(entry, "feedback", problems),
                gap=gap,
                is_choice=True,
            )
        )
    return answers


def _answers(kind: str, item: dict, label: str, problems: _Problems) -> list[AnswerSpec]:
    def fail(message: str) -> list[AnswerSpec]:
        problems.add(message, at=item, question=label)
        return []

    try:
        match kind:
            case QuestionKind.FLASHCARD:
                return [AnswerSpec(text=_text(item, "back", problems), is_correct=True, fraction=1)]
            case QuestionKind.MULTIPLE_CHOICE:
                choices = item.get("choices")
                if not isinstance(choices, list):
                    return fail("'choices' must be a list of choices.")
                answers = []
                for choice in choices:
                    if not isinstance(choice, dict):
                        choice = {"text": choice}
                    correct = bool(choice.get("correct", False))
                    answers.append(
                        AnswerSpec(
                            text=_text(choice, "text", problems, required=True),
                            is_correct=correct,
                            fraction=_percent(choice.get("weight"), 1.0 if correct else 0.0),
                            feedback=_text(choice, "feedback", problems),
                        )
                    )
                return answers
            case QuestionKind.TRUE_FALSE:
                if not isinstance(item.get("answer"), bool):
                    return fail("'answer' must be true or false.")
                right = item["answer"]
                feedback = item.get("feedback") or {}
                if not isinstance(feedback, dict):
                    return fail("'feedback' must map true and false to a text.")
                return [
                    AnswerSpec(
                        text=str(value).capitalize(),
                        is_correct=value == right,
                        fraction=1.0 if value == right else 0.0,
                        feedback=str(feedback.get(value, "") or "").strip(),
                    )
                    for value in (True, False)
                ]
            case QuestionKind.SHORT_ANSWER:
                accepted = item.get("accept")
                if isinstance(accepted, str):
                    accepted = [accepted]
                if not isinstance(accepted, list):
                    return fail("'accept' must be a list of accepted answers.")
                return [_variant(variant, problems) for variant in accepted]
            case QuestionKind.NUMERICAL:
                entries = item.get("answers")
                if entries is None and "answer" in item:
                    entries = [{"value": item["answer"], "tolerance": item.get("tolerance", 0)}]
                if not isinstance(entries, list):
                    return fail("Give 'answer' (and 'tolerance'), or 'answers' as a list.")
                answers = []
                for entry in entries:
                    if not isinstance(entry, dict) or "value" not in entry:
                        return fail("Every numerical answer needs a 'value'.")
                    if entry["value"] == ANY_OTHER_ANSWER:
                        answers.append(
                            AnswerSpec(
                                text=ANY_OTHER_ANSWER,
                                fraction=_percent(entry.get("weight"), 0.0),
                                feedback=_text(entry, "feedback", problems),
                            )
                        )
                        continue
                    fraction = _percent(entry.get("weight"), 1.0)
                    answers.append(
                        AnswerSpec(
                            text=str(entry["value"]),
                            number=float(entry["value"]),
                            tolerance=float(entry.get("tolerance", 0) or 0),
                            is_correct=fraction > 0,
                            fraction=fraction,
                            feedback=_text(entry, "feedback", problems),
                        )
                    )
                return answers
            case QuestionKind.CLOZE:
                gaps = item.get("gaps")
                if not isinstance(gaps, dict):
                    return fail("'gaps' must map each gap number to its accepted answers.")
                answers = []
                for gap, accepted in gaps.items():
                    if gap == LINE_KEY:
                        continue
                    if isinstance(accepted, dict) and "choose" in accepted:
                        answers += _gap_options(accepted["choose"], int(gap), problems)
                        continue
                    variants = accepted if isinstance(accepted, list) else [accepted]
                    for variant in variants:
                        answer = _variant(variant, problems)
                        answer.gap = int(gap)
                        answers.append(answer)
                return answers
            case QuestionKind.MATCHING:
                pairs = item.get("pairs")
                if not isinstance(pairs, list) or not all(
                    isinstance(pair, list) and len(pair) == 2 for pair in pairs
                ):
                    return fail("'pairs' must be a list of [left, right] pairs.")
                # A pair with an empty left side is a distractor: a right side to choose wrongly.
                return [
                    AnswerSpec(
                        text=str(left or "").strip(),
                        match_text=str(right).strip(),
                        is_correct=bool(str(left or "").strip()),
                        fraction=1 if str(left or "").strip() else 0,
                    )
                    for left, right in pairs
                ]
            case QuestionKind.ORDERING:
                items = item.get("items")
                if not isinstance(items, list):
                    return fail("'items' must be the list of items in the right order.")
                return [
                    AnswerSpec(text=str(entry).strip(), is_correct=True, fraction=1)
                    for entry in items
                ]
    except (TypeError, ValueError) as error:
        return fail(f"Could not read the answers: {error}.")
    return fail(f"Unknown type {kind!r}; use one of: {', '.join(QuestionKind.values)}.")


def _source(data: Any, base_dir: Path | None, problems: _Problems) -> SourceSpec | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add("'source' must be a mapping.")
        return None
    if "file" in data:
        if base_dir is None:
            problems.add("'source.file' can only be used when importing from a folder.", at=data)
            return None
        path = base_dir / str(data["file"])
        if not path.is_file():
            problems.add(f"The source file {data['file']} does not exist.", at=data)
            return None
        spec = split_source_text(path.read_text(encoding="utf-8"), slug=str(data.get("slug", "")))
        spec.citation = _text(data, "citation", problems)
        return spec
    passages = data.get("passages")
    if not isinstance(passages, list) or not passages:
        problems.add("'source.passages' must be a non-empty list.", at=data)
        return None
    return SourceSpec(
        slug=_text(data, "slug", problems, required=True),
        title=_text(data, "title", problems, required=True),
        citation=_text(data, "citation", problems),
        period=_text(data, "period", problems),
        text=str(data.get("text") or "").strip()
        or "\n\n".join(str(p.get("text", "")) for p in passages if isinstance(p, dict)),
        passages=[
            PassageSpec(
                heading=_text(passage, "heading", problems),
                text=_text(passage, "text", problems, required=True),
            )
            for passage in passages
            if isinstance(passage, dict)
        ],
    )


def read_native(content: str, *, base_dir: Path | None = None) -> SetSpec:
    """Parse a set file; raise ImportRefused naming every problem with its line."""
    try:
        data = yaml.load(content, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise ImportRefused([ImportProblem(f"Not valid YAML: {problem}.", line=line)]) from None
    problems = _Problems()
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION:
        raise ImportRefused(
            [ImportProblem(f"Not a quizsite set file: the first key must be '{FORMAT_KEY}: 1'.")]
        )
    topics = data.get("topics") or {}
    if not isinstance(topics, dict):
        problems.add("'topics' must map each topic's slug to its name.", at=data)
        topics = {}
    topic_names = {str(k): str(v) for k, v in topics.items() if k != LINE_KEY}
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list):
        problems.add("'questions' must be a list.", at=data)
        raw_questions = []
    questions = []
    for number, item in enumerate(raw_questions, start=1):
        if not isinstance(item, dict):
            problems.add(f"Question {number} must be a mapping.")
            continue
        label = str(item.get("id") or number)
        kind = _text(item, "type", problems, required=True)
        question_topics = item.get("topics") or []
        if not isinstance(question_topics, list):
            problems.add("'topics' must be a list of topic slugs.", at=item, question=label)
            question_topics = []
        for slug in question_topics:
            if str(slug) not in topic_names:
                problems.add(
                    f"Topic {slug!r} is not listed under 'topics' at the top of the file.",
                    at=item,
                    question=label,
                )
        passage = item.get("passage")
        if passage is not None and (isinstance(passage, bool) or not isinstance(passage, int)):
            problems.add("'passage' must be the number of a passage.", at=item, question=label)
            passage = None
        questions.append(
            QuestionSpec(
                kind=kind,
                prompt=_text(item, "prompt", problems, required=True),
                answers=_answers(kind, item, label, problems),
                title=_text(item, "title", problems),
                explanation=_text(item, "explanation", problems),
                passage=passage,
                sentence=_text(item, "sentence", problems),
                topics=[str(slug) for slug in question_topics],
                external_id=str(item.get("id") or ""),
                line=item[LINE_KEY],
            )
        )
    spec = SetSpec(
        title=_text(data, "title", problems, required=True),
        description=_text(data, "description", problems),
        external_id=_text(data, "id", problems),
        visibility=_text(data, "visibility", problems) or "private",
        topics=topic_names,
        source=_source(data.get("source"), base_dir, problems),
        desired_retention=float(data.get("desired_retention", 0.9)),
        new_order=_text(data, "new_order", problems) or "in_order",
        questions=questions,
    )
    if problems.items:
        raise ImportRefused(problems.items)
    return spec
