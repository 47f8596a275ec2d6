"""Reading Moodle GIFT the way Moodle's own parser does it (the answer block itself is read by
gift_answers; gift_export writes GIFT).

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
    decode_utf8,
    html_to_text,
    invalid_grades,
    topic_slug,
)
from questions.formats.gift_answers import (
    Refuse,
    answer_kind,
    escape_post,
    escape_pre,
    markup,
    plain,
    read_answers,
    with_format,
)
from questions.formats.spec import (
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
)
from questions.models.banks import QuestionKind

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
ESSAY_SKIPPED = "{where}: an essay question has no answer key to study with; it was left out."
DESCRIPTION_SKIPPED = "{where}: a description (text without answers) was left out."
CATEGORY_NOT_ALONE = (
    "Line {line}: a $CATEGORY line must be followed by a blank line; as in Moodle, the text "
    "after it in the same paragraph was left out."
)


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


def _comment_value(written: str) -> str:
    """An id or tag as a `[id:…]` or `[tag:…]` comment writes it: trimmed, escapes undone."""
    return COMMENT_ESCAPE.sub(r"\1", written.strip())


def _read_block(
    block: _Block, category: tuple[str, str] | None, reading: _Reading
) -> QuestionSpec | _Category | None:
    comments = "\n".join(line for line in block.lines if line.startswith("//"))
    joined = "\n".join("" if line.startswith("//") else line for line in block.lines)
    leading = len(joined) - len(joined.lstrip())
    full = text = escape_pre(joined.strip())
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
        return _Category(category_topic(escape_post(path).strip()))

    where = f"line {block.line}"
    title = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            title = html_to_text(escape_post(text[:end])).strip()
            text = text[end + 2 :].strip()

    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        reading.warnings.append(DESCRIPTION_SKIPPED.format(where=where))
        return None
    if start < 0 or (0 <= finish < start):
        raise Refuse(UNOPENED_BRACE, line=line_at(finish))
    if finish < 0:
        raise Refuse(UNCLOSED_BRACE, line=line_at(start))
    answer_text = text[start + 1 : finish].strip()
    missing_word = not text.rstrip().endswith("}")
    question_text = text[:start] + (MISSING_WORD if missing_word else "") + text[finish + 1 :]

    general_feedback = ""
    if "####" in answer_text:
        answer_text, _, general_feedback = answer_text.rpartition("####")
        answer_text = answer_text.strip()
    prompt, text_format = with_format(question_text.strip(), "moodle")
    explanation, explanation_format = with_format(general_feedback.strip(), text_format)

    kind = answer_kind(answer_text)
    if kind is None:
        reading.warnings.append(ESSAY_SKIPPED.format(where=where))
        return None
    try:
        answers = read_answers(kind, answer_text, text_format)
        if kind != QuestionKind.MATCHING and (
            refused := invalid_grades([a.fraction for a in answers])
        ):
            raise Refuse(refused)
    except Refuse as refusal:
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
            answer.gap, answer.is_choice, answer.text = 1, True, plain(answer.text)
            answer.is_correct = answer.fraction >= 1
    elif wanted and wanted.group(1) == QuestionKind.FLASHCARD and len(answers) == 1:
        kind = QuestionKind.FLASHCARD
        answers[0].text = markup(answers[0].text, text_format)
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.CLOZE):
        for answer in answers:
            answer.text = plain(answer.text)
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
        prompt=markup(prompt, text_format),
        answers=answers,
        title=title,
        explanation=markup(explanation, explanation_format),
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
        except Refuse as refusal:
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
