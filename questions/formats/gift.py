"""Moodle GIFT, read and written the way Moodle's own parser does it.

The reader follows question/format/gift/format.php: questions are separated by blank lines;
`//` lines are comments (Moodle's `[id:…]` and `[tag:…]` in them give the question's id and
topics); `$CATEGORY:` makes the questions after it belong to a topic; `::title::`; `[html]`,
`[markdown]`, `[plain]`, `[moodle]` text formats; the answer block `{…}` decides the type:
nothing → essay, `#…` → numerical, a `~` → multiple choice, `=` with `->` → matching,
`T`/`TRUE`/`F`/`FALSE` → true/false, else short answer; text after the block makes a
missing-word question. Differences from Moodle, all deliberate, are in docs/set-format.md:
errors Moodle skips silently (a bad weight, a block that never closes) refuse the file; a
short-answer missing word becomes a cloze question; `\\\\` reads as one backslash.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from questions.formats.common import (
    category_topic,
    clean_html,
    decode_utf8,
    grades_moodle_refuses,
    html_to_text,
    invalid_grades,
    looks_like_html,
    markdown_to_html,
    number_text,
    topic_slug,
)
from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
    Written,
)
from questions.models.banks import QuestionKind
from questions.validation import ANY_OTHER_ANSWER

ESCAPABLE = ":#={}~"
PLACEHOLDER_BASE = 0xE000  # private-use characters stand in for escaped ones while parsing
BACKSLASH = chr(PLACEHOLDER_BASE + ord("\\"))
ESCAPED_NEWLINE = chr(PLACEHOLDER_BASE + ord("\n"))
WEIGHT = re.compile(r"^%(-?)(\d{1,3}(?:\.\d*)?)%")
TEXT_FORMATS = {"html", "markdown", "plain", "moodle"}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
MISSING_WORD = "\ue100"  # where the answer block stood, until the kind is known
BLANK = "_____"
# As in Moodle, `]` inside an id or tag is written `\]` (and here `\` as `\\`), on one line.
ID_TAG = re.compile(r"\[id:((?:\\.|[^\]\\\n])+)\]")
TOPIC_TAG = re.compile(r"\[tag:((?:\\.|[^\]\\\n])+)\]")
COMMENT_ESCAPE = re.compile(r"\\(.)")
TYPE_TAG = re.compile(r"\[quizsite-type:\s*([a-z_]+)\]")
SET_LINE = re.compile(r"^//\s*quizsite-(set|title|description):\s*(.*)$")

UNCLOSED_BRACE = "The answer block opened with '{' is never closed with '}'."
UNOPENED_BRACE = "A '}' closes an answer block that was never opened with '{'."
BAD_WEIGHT = (
    "Bad weight {weight!r}: write a percentage from -100 to 100 between two % signs, "
    "as in ~%50%Answer."
)
EQUALS_WEIGHT = "A partial-credit choice is written ~%50%Answer, not =%50%Answer."
TOO_FEW_CHOICES = "A multiple-choice question needs at least two choices."
NO_ANSWER = "The answer block has no answer."
NOT_A_NUMBER = "{value!r} is not a number; write 1968, 1968:2 (give or take 2) or 1966..1970."
MATCH_WITHOUT_ARROW = "Every matching pair is written =left -> right; {pair!r} has no '->'."
ESSAY_SKIPPED = "{where}: an essay question has no answer key to study with; it was left out."
DESCRIPTION_SKIPPED = "{where}: a description (text without answers) was left out."
CATEGORY_NOT_ALONE = (
    "Line {line}: a $CATEGORY line must be followed by a blank line; as in Moodle, the text "
    "after it in the same paragraph was left out."
)
GIFT_NO_SOURCE = "GIFT has no place for the source text and passages; they were left out."
GIFT_SKIPPED = (
    "Question {label}: GIFT has no ordering questions; it was left out. Export the set as "
    "Moodle XML to keep it (as Moodle's ordering question)."
)
GIFT_MULTI_GAP = (
    "Question {label}: GIFT holds one gap per question; this cloze has several and was left out. "
    "Export the set as Moodle XML to keep it (as Moodle's embedded answers)."
)


def _escape_pre(text: str) -> str:
    text = text.replace("\\\\", BACKSLASH)
    for char in ESCAPABLE:
        text = text.replace("\\" + char, chr(PLACEHOLDER_BASE + ord(char)))
    return text.replace("\\n", ESCAPED_NEWLINE)


def _escape_post(text: str) -> str:
    for char in ESCAPABLE + "\n\\":
        text = text.replace(chr(PLACEHOLDER_BASE + ord(char)), char)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format: a leading [format] marker, then the text."""
    text_format = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end].lower() if end > 0 else ""
        if name in TEXT_FORMATS:
            text_format = name
            text = text[end + 1 :]
    return _escape_post(text).strip(), text_format


def _markup(text: str, text_format: str) -> str:
    """How a text of this format is kept: HTML cleaned to safe markup, anything else as is."""
    if text_format == "html" or (text_format == "moodle" and looks_like_html(text)):
        return clean_html(text)
    if text_format == "markdown" and text:
        return markdown_to_html(text)
    return text


def _plain(text: str) -> str:
    """An answer a student types: plain text whatever the format."""
    return html_to_text(text) if looks_like_html(text) else text


@dataclass
class _Block:
    line: int
    lines: list[str]


@dataclass
class _Category:
    """A `$CATEGORY:` line: the (slug, name) of the topic of the questions after it."""

    topic: tuple[str, str] | None


@dataclass
class _Reading:
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    topics: dict[str, str] = field(default_factory=dict)


class _Refuse(Exception):
    """A problem with a question; `fragment` is the text at fault, to find its line."""

    def __init__(self, message: str, *, line: int | None = None, fragment: str = ""):
        self.message = message
        self.line = line
        self.fragment = fragment


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(_Block(start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(_Block(start, current))
    return blocks


def _weight(answer: str) -> tuple[float | None, str]:
    """(fraction, rest) for an answer starting with %n%; (None, answer) when it has none."""
    if not answer.startswith("%"):
        return None, answer
    match = WEIGHT.match(answer)
    if not match:
        end = answer.find("%", 1)
        weight = answer[: end + 1] if end > 0 else answer
        raise _Refuse(BAD_WEIGHT.format(weight=_escape_post(weight)), fragment=answer)
    value = float(match.group(2)) * (-1 if match.group(1) else 1)
    if not -100 <= value <= 100:
        raise _Refuse(BAD_WEIGHT.format(weight=match.group(0)), fragment=answer)
    return value / 100, answer[match.end() :]


def _split_feedback(answer: str, text_format: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    answer_text, _ = _with_format(text.strip(), text_format)
    feedback_text, feedback_format = _with_format(feedback.strip(), text_format)
    return answer_text, _markup(feedback_text, feedback_format)


def _parts(answer_text: str, separator: str) -> list[str]:
    parts = answer_text.split(separator)
    if parts and not parts[0].strip():
        parts.pop(0)
    return [part.strip() for part in parts]


def _number(value: str) -> float:
    try:
        return float(_escape_post(value).strip())
    except ValueError:
        message = NOT_A_NUMBER.format(value=_escape_post(value).strip())
        raise _Refuse(message, fragment=value.strip()) from None


def _read_answers(kind: str, answer_text: str, text_format: str) -> list[AnswerSpec]:
    match kind:
        case QuestionKind.MULTIPLE_CHOICE:
            single = "=" in answer_text
            answers = []
            for part in _parts(answer_text.replace("=", "~="), "~"):
                if part.startswith("="):
                    if part[1:].lstrip().startswith("%"):
                        raise _Refuse(EQUALS_WEIGHT, fragment=part)
                    fraction, rest = 1.0, part[1:]
                else:
                    weight, rest = _weight(part)
                    fraction = weight or 0.0
                text, feedback = _split_feedback(rest, text_format)
                answers.append(
                    AnswerSpec(
                        text=_markup(text, text_format),
                        is_correct=fraction >= 1 if single else fraction > 0,
                        fraction=fraction,
                        feedback=feedback,
                    )
                )
            if len(answers) < 2:
                raise _Refuse(TOO_FEW_CHOICES)
            return answers
        case QuestionKind.MATCHING:
            answers = []
            for part in _parts(answer_text, "="):
                if "->" not in part:
                    message = MATCH_WITHOUT_ARROW.format(pair=_escape_post(part))
                    raise _Refuse(message, fragment=part)
                left, _, right = part.partition("->")
                left_text, left_format = _with_format(left.strip(), text_format)
                # `= -> Chat` is a right-hand answer that matches no left side: a distractor.
                answers.append(
                    AnswerSpec(
                        text=_markup(left_text, left_format) if left_text else "",
                        match_text=_escape_post(right).strip(),
                        is_correct=bool(left_text),
                        fraction=1 if left_text else 0,
                    )
                )
            return answers
        case QuestionKind.TRUE_FALSE:
            value, _, feedbacks = answer_text.partition("#")
            wrong, _, right = feedbacks.partition("#")
            wrong_text, wrong_format = _with_format(wrong.strip(), text_format)
            right_text, right_format = _with_format(right.strip(), text_format)
            truth = TRUE_FALSE[value.strip()]
            feedback = {
                truth: _markup(right_text, right_format),
                not truth: _markup(wrong_text, wrong_format),
            }
            return [
                AnswerSpec(
                    text=str(option),
                    is_correct=option == truth,
                    fraction=1.0 if option == truth else 0.0,
                    feedback=feedback[option],
                )
                for option in (True, False)
            ]
        case QuestionKind.SHORT_ANSWER:
            answers = []
            for part in _parts(answer_text, "="):
                weight, rest = _weight(part)
                fraction = 1.0 if weight is None else weight
                text, feedback = _split_feedback(rest, text_format)
                answers.append(
                    AnswerSpec(
                        text=text,
                        is_correct=fraction > 0,
                        fraction=fraction,
                        feedback=feedback,
                    )
                )
            if not answers:
                raise _Refuse(NO_ANSWER)
            return answers
        case QuestionKind.NUMERICAL:
            body, _, other = answer_text[1:].partition("~")
            answers = []
            for part in _parts(body, "="):
                weight, rest = _weight(part)
                fraction = 1.0 if weight is None else weight
                value, feedback = _split_feedback(rest, text_format)
                if ".." in value[1:]:
                    low, _, high = value.partition("..")
                    minimum, maximum = _number(low), _number(high)
                    # As Moodle does; rounded so that 3.141..3.142 gives 3.1415 ± 0.0005.
                    number = float(f"{(minimum + maximum) / 2:.12g}")
                    tolerance = float(f"{maximum - number:.12g}")
                elif ":" in value[1:]:
                    written, _, margin = value.partition(":")
                    number, tolerance = _number(written), _number(margin)
                else:
                    number, tolerance = _number(value), 0.0
                answers.append(
                    AnswerSpec(
                        text=number_text(number),
                        number=number,
                        tolerance=abs(tolerance),
                        is_correct=fraction > 0,
                        fraction=fraction,
                        feedback=feedback,
                    )
                )
            if other:
                # `~#feedback`: Moodle's "any other answer", kept for its feedback.
                weight, rest = _weight(other.strip())
                _, feedback = _split_feedback(rest, text_format)
                answers.append(
                    AnswerSpec(text=ANY_OTHER_ANSWER, fraction=weight or 0.0, feedback=feedback)
                )
            if not answers:
                raise _Refuse(NO_ANSWER)
            return answers
    raise AssertionError(kind)


def _kind(answer_text: str) -> str | None:
    """Moodle's order of tests for the type of a question from its answer block."""
    if answer_text == "":
        return None
    if answer_text.startswith("#"):
        return QuestionKind.NUMERICAL
    if "~" in answer_text:
        return QuestionKind.MULTIPLE_CHOICE
    if "=" in answer_text and "->" in answer_text:
        return QuestionKind.MATCHING
    if answer_text.partition("#")[0].strip() in TRUE_FALSE:
        return QuestionKind.TRUE_FALSE
    return QuestionKind.SHORT_ANSWER


def _comment_value(written: str) -> str:
    """An id or tag as a `[id:…]` or `[tag:…]` comment writes it: trimmed, escapes undone."""
    return COMMENT_ESCAPE.sub(r"\1", written.strip())


def _comment_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("]", "\\]")


def _read_block(
    block: _Block, category: tuple[str, str] | None, reading: _Reading
) -> QuestionSpec | _Category | None:
    comments = "\n".join(line for line in block.lines if line.startswith("//"))
    joined = "\n".join("" if line.startswith("//") else line for line in block.lines)
    leading = len(joined) - len(joined.lstrip())
    full = text = _escape_pre(joined.strip())
    if not text:
        return None

    def line_at(position: int) -> int:
        """The file's line of a position in `text`, which is `full` less its title."""
        offset = len(full) - len(text)
        return block.line + joined[:leading].count("\n") + full[: offset + position].count("\n")

    if text.startswith("$CATEGORY:"):
        path, _, rest = text[len("$CATEGORY:") :].partition("\n")
        if rest.strip():
            reading.warnings.append(CATEGORY_NOT_ALONE.format(line=block.line))
        return _Category(category_topic(_escape_post(path).strip()))

    where = f"line {block.line}"
    title = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            title = html_to_text(_escape_post(text[:end])).strip()
            text = text[end + 2 :].strip()

    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        reading.warnings.append(DESCRIPTION_SKIPPED.format(where=where))
        return None
    if start < 0 or (0 <= finish < start):
        raise _Refuse(UNOPENED_BRACE, line=line_at(finish))
    if finish < 0:
        raise _Refuse(UNCLOSED_BRACE, line=line_at(start))
    answer_text = text[start + 1 : finish].strip()
    missing_word = not text.rstrip().endswith("}")
    question_text = text[:start] + (MISSING_WORD if missing_word else "") + text[finish + 1 :]

    general_feedback = ""
    if "####" in answer_text:
        answer_text, _, general_feedback = answer_text.rpartition("####")
        answer_text = answer_text.strip()
    prompt, text_format = _with_format(question_text.strip(), "moodle")
    explanation, explanation_format = _with_format(general_feedback.strip(), text_format)

    kind = _kind(answer_text)
    if kind is None:
        reading.warnings.append(ESSAY_SKIPPED.format(where=where))
        return None
    try:
        answers = _read_answers(kind, answer_text, text_format)
        if kind != QuestionKind.MATCHING and (
            refused := invalid_grades([a.fraction for a in answers])
        ):
            raise _Refuse(refused)
    except _Refuse as refusal:
        # The line of the answer at fault, or of the answer block's '{'.
        found = text.find(refusal.fragment, start) if refusal.fragment else -1
        refusal.line = line_at(found if found >= 0 else start)
        raise

    wanted = TYPE_TAG.search(comments)
    if (missing_word and kind == QuestionKind.SHORT_ANSWER) or (
        wanted and wanted.group(1) == QuestionKind.CLOZE and kind == QuestionKind.SHORT_ANSWER
    ):
        kind = QuestionKind.CLOZE
        if MISSING_WORD not in prompt:
            prompt = prompt + " " + MISSING_WORD
        prompt = prompt.replace(MISSING_WORD, "{{1}}")
        for answer in answers:
            answer.gap = 1
    elif wanted and wanted.group(1) == QuestionKind.CLOZE and kind == QuestionKind.MULTIPLE_CHOICE:
        # A cloze with a gap chosen from a list, as write_gift writes it.
        kind = QuestionKind.CLOZE
        prompt = prompt.replace(MISSING_WORD, "{{1}}")
        for answer in answers:
            answer.gap, answer.is_choice, answer.text = 1, True, _plain(answer.text)
            answer.is_correct = answer.fraction >= 1
    elif wanted and wanted.group(1) == QuestionKind.FLASHCARD and len(answers) == 1:
        kind = QuestionKind.FLASHCARD
        answers[0].text = _markup(answers[0].text, text_format)
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.CLOZE):
        for answer in answers:
            answer.text = _plain(answer.text)
    prompt = prompt.replace(MISSING_WORD, BLANK)

    topics = []
    if category:
        topics.append(category[0])
    for tag in TOPIC_TAG.findall(comments):
        name = _comment_value(tag)
        reading.topics.setdefault(topic_slug(name), name)
        if topic_slug(name) not in topics:
            topics.append(topic_slug(name))
    identifier = ID_TAG.search(comments)
    return QuestionSpec(
        kind=kind,
        prompt=_markup(prompt, text_format),
        answers=answers,
        title=title,
        explanation=_markup(explanation, explanation_format),
        topics=topics,
        external_id=_comment_value(identifier.group(1)) if identifier else "",
        line=block.line,
    )


def read_gift(content: bytes, *, filename: str, base_dir: Path | None = None) -> SetSpec:
    """A GIFT file as a SetSpec; ImportRefused naming the line of every problem."""
    text = decode_utf8(content)
    reading = _Reading()
    questions: list[QuestionSpec] = []
    category = None
    settings = {}
    for raw in text.split("\n"):
        match = SET_LINE.match(raw.strip())
        if match:
            settings[match.group(1)] = match.group(2).strip()
    for block in _blocks(text):
        try:
            result = _read_block(block, category, reading)
        except _Refuse as refusal:
            reading.problems.append(ImportProblem(refusal.message, line=refusal.line))
            continue
        if isinstance(result, _Category):
            category = result.topic
            if category:
                reading.topics.setdefault(*category)
        elif result is not None:
            questions.append(result)
    if reading.problems:
        raise ImportRefused(reading.problems)
    stem = PurePath(filename).stem
    return SetSpec(
        title=settings.get("title") or stem or "Imported questions",
        description=settings.get("description", ""),
        external_id=settings.get("set") or f"gift:{PurePath(filename).name}",
        topics=reading.topics,
        questions=questions,
        warnings=reading.warnings,
    )


def _escape(text: str) -> str:
    """Moodle's repchar: the reserved characters escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for char in ESCAPABLE:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _weighted(prefix: str, answer: AnswerSpec, default: float, text: str) -> str:
    """One answer line: its prefix, its weight unless it is the default, the already escaped
    `text`, and its feedback (never passed through str.format: texts hold braces)."""
    weight = ""
    if answer.fraction != default:
        percent = round(answer.fraction * 100, 5)
        weight = f"%{int(percent) if percent.is_integer() else percent}%"
    feedback = f"#{_escape(answer.feedback)}" if answer.feedback else ""
    return f"{prefix}{weight}{text}{feedback}"


def _answer_lines(question: QuestionSpec) -> list[str]:
    answers = question.answers
    choice_gap = question.kind == QuestionKind.CLOZE and any(a.is_choice for a in answers)
    match question.kind:
        case QuestionKind.FLASHCARD | QuestionKind.SHORT_ANSWER | QuestionKind.CLOZE if (
            not choice_gap
        ):
            return [_weighted("=", a, 1.0, _escape(a.text)) for a in answers]
        case QuestionKind.MULTIPLE_CHOICE | QuestionKind.CLOZE:
            # A cloze whose one gap is chosen from a list is GIFT's missing-word choice.
            correct = [a for a in answers if a.is_correct]
            single = bool(correct) and all(a.fraction == 1 for a in correct)
            lines = []
            for answer in answers:
                text = _escape(answer.text)
                if single and answer.is_correct:
                    lines.append(_weighted("=", answer, 1.0, text))
                else:
                    lines.append(_weighted("~", answer, 0.0, text))
            return lines
        case QuestionKind.TRUE_FALSE:
            by_value = {a.text.strip().lower() == "true": a for a in answers}
            truth = next(value for value, a in by_value.items() if a.is_correct)
            right, wrong = by_value[truth].feedback, by_value[not truth].feedback
            line = "TRUE" if truth else "FALSE"
            if right:
                line += f"#{_escape(wrong)}#{_escape(right)}"
            elif wrong:
                line += f"#{_escape(wrong)}"
            return [line]
        case QuestionKind.NUMERICAL:
            lines = []
            # "Any other answer" (~#feedback) must come last in the block.
            for answer in sorted(answers, key=lambda answer: answer.number is None):
                if answer.number is None:
                    lines.append(_weighted("~", answer, 0.0, ""))
                    continue
                value = f"{number_text(answer.number)}:{number_text(answer.tolerance or 0)}"
                lines.append(_weighted("=", answer, 1.0, value))
            lines[0] = "#" + lines[0]
            return lines
        case QuestionKind.MATCHING:
            return [f"={_escape(a.text)} -> {_escape(a.match_text)}" for a in answers]
    raise AssertionError(question.kind)


def _format_marker(text: str) -> str:
    """Always written, so a text that starts with // or :: still reads as the question."""
    return "[html]" if looks_like_html(text) else "[moodle]"


def write_gift(spec: SetSpec) -> Written:
    """The set as GIFT that Moodle imports and read_gift reads back to the same questions."""
    warnings = [GIFT_NO_SOURCE] if spec.source else []
    blocks = [f"// quizsite-set: {spec.external_id}" if spec.external_id else ""]
    blocks[0] += f"\n// quizsite-title: {spec.title}"
    if spec.description:
        blocks[0] += f"\n// quizsite-description: {' '.join(spec.description.split())}"
    blocks[0] = blocks[0].strip()
    for number, question in enumerate(spec.questions, start=1):
        label = question.external_id or str(number)
        if refused := grades_moodle_refuses(question, label=label):
            warnings.append(refused)
        if question.kind == QuestionKind.ORDERING:
            warnings.append(GIFT_SKIPPED.format(label=label))
            continue
        gaps = {answer.gap for answer in question.answers}
        if question.kind == QuestionKind.CLOZE and len(gaps) != 1:
            warnings.append(GIFT_MULTI_GAP.format(label=label))
            continue
        comment = []
        if question.external_id:
            comment.append(f"[id:{_comment_escape(question.external_id)}]")
        comment += [
            f"[tag:{_comment_escape(spec.topics.get(slug, slug))}]" for slug in question.topics
        ]
        if question.kind in (QuestionKind.FLASHCARD, QuestionKind.CLOZE):
            comment.append(f"[quizsite-type:{question.kind}]")
        lines = [f"// {' '.join(comment)}"] if comment else []
        head = f"::{_escape(question.title)}::" if question.title else ""
        head += _format_marker(question.prompt)
        answers = "\n".join(_answer_lines(question))
        if question.explanation:
            answers += f"\n####{_escape(question.explanation)}"
        if question.kind == QuestionKind.CLOZE:
            before, _, after = question.prompt.partition(f"{{{{{gaps.pop()}}}}}")
            lines.append(f"{head}{_escape(before)}{{\n{answers}\n}}{_escape(after)}")
        else:
            lines.append(f"{head}{_escape(question.prompt)}{{\n{answers}\n}}")
        blocks.append("\n".join(lines))
    return Written(("\n\n".join(blocks) + "\n").encode("utf-8"), warnings)
