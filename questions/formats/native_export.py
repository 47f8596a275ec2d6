"""Writing a set in the project's own YAML format, so that native.read_native reads it back to
an equal SetSpec: block style, texts of several lines as literal blocks, and each question
type's answers in the shape docs/set-format.md describes (defaults left out).
"""

from typing import Any

import yaml

from questions.formats.native import FORMAT_KEY, FORMAT_VERSION
from questions.formats.spec import (
    AnswerSpec,
    QuestionSpec,
    SetSpec,
    SourceSpec,
)
from questions.models.banks import QuestionKind
from questions.validation import ANY_OTHER_ANSWER, is_any_other


class _Dumper(yaml.SafeDumper):
    """Block style throughout; texts of several lines as literal blocks."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    value = str(value)  # TextChoices members are str subclasses
    style = "|" if "\n" in value and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_multi_representer(str, _represent_text)


def _weight(fraction: float) -> int | float:
    percent = round(fraction * 100, 10)
    return int(percent) if percent.is_integer() else percent


def _number_value(answer: AnswerSpec) -> int | float | None:
    """The value as the file wrote it, so that reading it back gives the same text."""
    try:
        written = yaml.safe_load(answer.text) if answer.text else None
    except yaml.YAMLError:
        written = None
    if (
        isinstance(written, int | float)
        and not isinstance(written, bool)
        and float(written) == answer.number
    ):
        return written
    if answer.number is None:
        return None
    return int(answer.number) if answer.number.is_integer() else answer.number


def _variant_out(answer: AnswerSpec) -> str | dict:
    if answer.fraction == 1 and answer.is_correct and not answer.feedback:
        return answer.text
    entry: dict[str, Any] = {"text": answer.text}
    if answer.fraction != 1:
        entry["weight"] = _weight(answer.fraction)
    if answer.feedback:
        entry["feedback"] = answer.feedback
    return entry


def _gap_options_out(options: list[AnswerSpec]) -> dict[str, list]:
    written: list[str | dict] = []
    for option in options:
        default = 1.0 if option.is_correct else 0.0
        if not option.is_correct and option.fraction == 0 and not option.feedback:
            written.append(option.text)
            continue
        entry: dict[str, Any] = {"text": option.text}
        if option.is_correct:
            entry["correct"] = True
        if option.fraction != default:
            entry["weight"] = _weight(option.fraction)
        if option.feedback:
            entry["feedback"] = option.feedback
        written.append(entry)
    return {"choose": written}


def _answers_out(question: QuestionSpec) -> dict[str, Any]:
    answers = question.answers
    match question.kind:
        case QuestionKind.FLASHCARD:
            return {"back": answers[0].text if answers else ""}
        case QuestionKind.MULTIPLE_CHOICE:
            choices: list[str | dict] = []
            for answer in answers:
                default = 1.0 if answer.is_correct else 0.0
                if not answer.is_correct and answer.fraction == default and not answer.feedback:
                    choices.append(answer.text)
                    continue
                choice: dict[str, Any] = {"text": answer.text}
                if answer.is_correct:
                    choice["correct"] = True
                if answer.fraction != default:
                    choice["weight"] = _weight(answer.fraction)
                if answer.feedback:
                    choice["feedback"] = answer.feedback
                choices.append(choice)
            return {"choices": choices}
        case QuestionKind.TRUE_FALSE:
            by_value = {answer.text.strip().lower() == "true": answer for answer in answers}
            right = next((value for value, a in by_value.items() if a.is_correct), True)
            out: dict[str, Any] = {"answer": right}
            feedback = {value: a.feedback for value, a in by_value.items() if a.feedback}
            if feedback:
                out["feedback"] = feedback
            return out
        case QuestionKind.SHORT_ANSWER:
            return {"accept": [_variant_out(answer) for answer in answers]}
        case QuestionKind.NUMERICAL:
            if (
                len(answers) == 1
                and answers[0].fraction == 1
                and answers[0].is_correct
                and not answers[0].feedback
            ):
                return {
                    "answer": _number_value(answers[0]),
                    "tolerance": _tolerance(answers[0].tolerance),
                }
            entries = []
            for answer in answers:
                if is_any_other(answer):
                    entry = {"value": ANY_OTHER_ANSWER}
                    if answer.fraction:
                        entry["weight"] = _weight(answer.fraction)
                    if answer.feedback:
                        entry["feedback"] = answer.feedback
                    entries.append(entry)
                    continue
                entry: dict[str, Any] = {
                    "value": _number_value(answer),
                    "tolerance": _tolerance(answer.tolerance),
                }
                if answer.fraction != 1:
                    entry["weight"] = _weight(answer.fraction)
                if answer.feedback:
                    entry["feedback"] = answer.feedback
                entries.append(entry)
            return {"answers": entries}
        case QuestionKind.CLOZE:
            gaps: dict[int, list] = {}
            options: dict[int, list[AnswerSpec]] = {}
            for answer in answers:
                if answer.is_choice:
                    options.setdefault(answer.gap or 0, []).append(answer)
                else:
                    gaps.setdefault(answer.gap or 0, []).append(_variant_out(answer))
            written: dict[int, Any] = {
                gap: variants[0]
                if len(variants) == 1 and isinstance(variants[0], str)
                else variants
                for gap, variants in gaps.items()
            }
            written |= {gap: _gap_options_out(rows) for gap, rows in options.items()}
            return {"gaps": dict(sorted(written.items()))}
        case QuestionKind.MATCHING:
            return {"pairs": [[answer.text, answer.match_text] for answer in answers]}
        case QuestionKind.ORDERING:
            return {"items": [answer.text for answer in answers]}
    return {}


def _tolerance(tolerance: float | None) -> int | float:
    value = tolerance or 0
    return int(value) if float(value).is_integer() else value


def _source_out(source: SourceSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"slug": source.slug, "title": source.title}
    if source.citation:
        out["citation"] = source.citation
    if source.period:
        out["period"] = source.period
    out["text"] = source.text
    out["passages"] = [
        {"heading": p.heading, "text": p.text} if p.heading else {"text": p.text}
        for p in source.passages
    ]
    return out


def write_native(spec: SetSpec) -> str:
    """The set as a file `read_native` reads back to an equal SetSpec."""
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION}
    if spec.external_id:
        data["id"] = spec.external_id
    data["title"] = spec.title
    if spec.description:
        data["description"] = spec.description
    data["visibility"] = spec.visibility
    if spec.desired_retention != 0.9:
        data["desired_retention"] = spec.desired_retention
    if spec.new_order != "in_order":
        data["new_order"] = spec.new_order
    if spec.topics:
        data["topics"] = dict(spec.topics)
    if spec.source is not None:
        data["source"] = _source_out(spec.source)
    questions = []
    for question in spec.questions:
        item: dict[str, Any] = {}
        if question.external_id:
            item["id"] = question.external_id
        item["type"] = question.kind
        if question.title:
            item["title"] = question.title
        if question.topics:
            item["topics"] = list(question.topics)
        if question.passage is not None:
            item["passage"] = question.passage
        if question.sentence:
            item["sentence"] = question.sentence
        item["prompt"] = question.prompt
        item.update(_answers_out(question))
        if question.explanation:
            item["explanation"] = question.explanation
        questions.append(item)
    data["questions"] = questions
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
