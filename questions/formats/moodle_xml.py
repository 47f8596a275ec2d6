"""Reading Moodle XML question files (question/format/xml in Moodle) into a SetSpec.

Kept: multichoice, truefalse, shortanswer, numerical (with its "any other answer"), matching
(with distractors), ordering (qtype_ordering), and cloze (multianswer, see moodle_cloze);
category paths become nested topics; HTML is cleaned to safe markup and embedded files
(`@@PLUGINFILE@@/name` with a base64 <file>, or Moodle 1.9's <image_base64>) become media.
Other types are left out with a warning; credits Moodle refuses are refused. The writer is
moodle_xml_export.
"""

import base64
import binascii
import html
import xml.etree.ElementTree as ET
from pathlib import Path, PurePath
from xml.parsers import expat

from questions.formats.common import (
    COMMON_ENCODINGS,
    LIKELY_ENCODING,
    category_topic,
    clean_html,
    html_to_text,
    invalid_grades,
    likely_encoding,
    looks_like_html,
    number_text,
    topic_slug,
)
from questions.formats.moodle_cloze import (
    GapRefused,
    read_embedded,
)
from questions.formats.spec import (
    AnswerSpec,
    ImportProblem,
    ImportRefused,
    QuestionSpec,
    SetSpec,
)
from questions.models.banks import QuestionKind
from questions.validation import ANY_OTHER_ANSWER

PLUGINFILE = "@@PLUGINFILE@@/"
NOT_XML = "Not valid XML: {error}."
NO_DOCTYPE = "XML files with a DOCTYPE or entity declarations are refused, for safety."
NOT_MOODLE_XML = "Not a Moodle XML file: the root element must be <quiz>."
TYPE_SKIPPED = "Line {line}: a Moodle {qtype!r} question has no counterpart in quizsite; left out."
NO_QUESTION_TEXT = "The question has no text."
BAD_IMAGE = (
    "Line {line}: the image {name!r} is not in the file (no valid <image_base64>); it was left out."
)
GRADED_TYPES = {"multichoice", "shortanswer", "numerical"}
"""The types whose answers' credits Moodle checks against its list of grades."""

BAD_NUMBER = "{value!r} is not a number."


class _Refuse(Exception):
    pass


def _markup(text: str, text_format: str) -> str:
    if text_format == "html" or (text_format == "moodle_auto_format" and looks_like_html(text)):
        return clean_html(text)
    return text


def _parse(content: bytes) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The document and the line of every element, without ever expanding entities."""
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse_doctype(*args) -> None:
        raise _Refuse(NO_DOCTYPE)

    def start(tag: str, attrs: dict) -> None:
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(content, True)
    except _Refuse as refusal:
        raise ImportRefused([ImportProblem(str(refusal), line=parser.CurrentLineNumber)]) from None
    except expat.ExpatError as error:
        message = NOT_XML.format(error=expat.ErrorString(error.code))
        if error.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]:
            guess = likely_encoding(content) if not _is_utf8(content) else None
            if guess:
                label = COMMON_ENCODINGS.get(guess, guess)
                message += LIKELY_ENCODING.format(label=label, encoding=guess)
        raise ImportRefused([ImportProblem(message, line=error.lineno)]) from None
    return builder.close(), lines


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(element: ET.Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path) if path else element
    return (found.text or "").strip() if found is not None else ""


class _Reader:
    def __init__(self, lines: dict[ET.Element, int]):
        self.lines = lines
        self.media: dict[str, bytes] = {}
        self.warnings: list[str] = []
        self.problems: list[ImportProblem] = []
        self.topics: dict[str, str] = {}

    def raw(self, element: ET.Element | None) -> tuple[str, str]:
        """A Moodle text element's text and format; its <file>s are kept as media."""
        if element is None:
            return "", "plain_text"
        for embedded in element.findall("file"):
            name = embedded.get("name", "")
            try:
                self.media[name] = base64.b64decode(embedded.text or "", validate=False)
            except (binascii.Error, ValueError):
                continue
        return _text(element).replace(PLUGINFILE, ""), element.get("format", "html")

    def rich(self, element: ET.Element | None) -> str:
        """A Moodle text element as safe markup (or as plain text, if it is plain)."""
        return _markup(*self.raw(element))

    def tags(self, element: ET.Element) -> list[str]:
        """Moodle's question tags, as topics."""
        slugs = []
        for tag in element.findall("tags/tag"):
            name = _text(tag)
            if name and topic_slug(name) not in slugs:
                self.topics.setdefault(topic_slug(name), name)
                slugs.append(topic_slug(name))
        return slugs

    def answers(self, question: ET.Element, *, single: bool = True) -> list[AnswerSpec]:
        answers = []
        for answer in question.findall("answer"):
            fraction = float(answer.get("fraction", "0")) / 100
            answers.append(
                AnswerSpec(
                    text=self.rich(answer),
                    is_correct=fraction >= 1 if single else fraction > 0,
                    fraction=fraction,
                    feedback=self.rich(answer.find("feedback")),
                )
            )
        return answers

    def question(self, element: ET.Element, topic: str | None) -> QuestionSpec | None:
        qtype = element.get("type", "")
        line = self.lines.get(element)
        prompt_text, prompt_format = self.raw(element.find("questiontext"))
        prompt = _markup(prompt_text, prompt_format)
        answers: list[AnswerSpec]
        match qtype:
            case "multichoice":
                kind = QuestionKind.MULTIPLE_CHOICE
                single = _text(element, "single") != "false"
                answers = self.answers(element, single=single)
            case "truefalse":
                kind = QuestionKind.TRUE_FALSE
                answers = []
                for answer in self.answers(element):
                    value = html_to_text(answer.text).lower() == "true"
                    answer.text = str(value)
                    answers.append(answer)
                answers.sort(key=lambda answer: answer.text != "True")
            case "shortanswer":
                kind = QuestionKind.SHORT_ANSWER
                answers = self.answers(element)
                for answer in answers:
                    answer.text = html_to_text(answer.text)
                    answer.is_correct = answer.fraction > 0
            case "numerical":
                kind = QuestionKind.NUMERICAL
                answers = []
                for answer in element.findall("answer"):
                    value = html_to_text(_text(answer))
                    fraction = float(answer.get("fraction", "0")) / 100
                    if value == ANY_OTHER_ANSWER:
                        # Moodle's "any other number", there for its feedback.
                        feedback = self.rich(answer.find("feedback"))
                        answers.append(AnswerSpec(text=value, fraction=fraction, feedback=feedback))
                        continue
                    tolerance = _text(answer, "tolerance") or "0"
                    try:
                        number, margin = float(value), abs(float(tolerance))
                    except ValueError:
                        raise _Refuse(BAD_NUMBER.format(value=f"{value} ± {tolerance}")) from None
                    answers.append(
                        AnswerSpec(
                            text=number_text(number),
                            number=number,
                            tolerance=margin,
                            is_correct=fraction > 0,
                            fraction=fraction,
                            feedback=self.rich(answer.find("feedback")),
                        )
                    )
            case "matching":
                kind = QuestionKind.MATCHING
                answers = []
                for sub in element.findall("subquestion"):
                    left = self.rich(sub)
                    right = html_to_text(_text(sub.find("answer")))
                    if not html_to_text(left):
                        # A right side without a left: a distractor.
                        answers.append(AnswerSpec(match_text=right))
                        continue
                    answers.append(
                        AnswerSpec(text=left, match_text=right, is_correct=True, fraction=1)
                    )
            case "ordering":
                kind = QuestionKind.ORDERING
                answers = [
                    AnswerSpec(
                        text=self.rich(answer),
                        is_correct=True,
                        fraction=1,
                        feedback=self.rich(answer.find("feedback")),
                    )
                    for answer in element.findall("answer")
                ]
            case "multianswer" | "cloze":
                kind = QuestionKind.CLOZE
                # The embedded answers are read before the markup is cleaned around them.
                prompt_text, answers = read_embedded(prompt_text, line=line, warnings=self.warnings)
                prompt = _markup(prompt_text, prompt_format)
            case _:
                self.warnings.append(TYPE_SKIPPED.format(line=line, qtype=qtype))
                return None
        if qtype in GRADED_TYPES and (refused := invalid_grades([a.fraction for a in answers])):
            raise _Refuse(refused)
        prompt += self.old_image(element)
        return QuestionSpec(
            kind=kind,
            prompt=prompt,
            answers=answers,
            title=_title(_text(element.find("name")), prompt),
            explanation=self.rich(element.find("generalfeedback")),
            topics=([topic] if topic else []) + self.tags(element),
            external_id=_text(element, "idnumber"),
            line=line,
        )

    def old_image(self, element: ET.Element) -> str:
        """Moodle 1.9's <image> and <image_base64>: the picture shown under the question."""
        name = PurePath(_text(element, "image")).name
        if not name:
            return ""
        try:
            image = base64.b64decode("".join(_text(element, "image_base64").split()), validate=True)
        except (binascii.Error, ValueError):
            image = b""
        if not image:
            self.warnings.append(BAD_IMAGE.format(line=self.lines.get(element), name=name))
            return ""
        self.media[name] = image
        return f' <img src="{html.escape(name)}" alt="">'


def _title(name: str, prompt: str) -> str:
    """The question's name, unless it only repeats the start of its text (Moodle requires a
    name, so exports name untitled questions that way)."""
    title = html_to_text(name)
    return "" if title == html_to_text(prompt)[: len(title)] else title


def read_moodle_xml(content: bytes, *, filename: str, base_dir: Path | None = None) -> SetSpec:
    """A Moodle XML export as a SetSpec; problems name the line of their <question>."""
    root, lines = _parse(content)
    if root.tag != "quiz":
        raise ImportRefused([ImportProblem(NOT_MOODLE_XML, line=lines.get(root))])
    reader = _Reader(lines)
    topics = reader.topics
    questions: list[QuestionSpec] = []
    topic = None
    for element in root.findall("question"):
        if element.get("type") == "category":
            found = category_topic(_text(element.find("category")))
            topic = found[0] if found else None
            if found:
                topics.setdefault(*found)
            continue
        try:
            question = reader.question(element, topic)
        except (_Refuse, GapRefused) as refusal:
            reader.problems.append(ImportProblem(str(refusal), line=lines.get(element)))
            continue
        if question is None:
            continue
        if not question.prompt:
            reader.problems.append(ImportProblem(NO_QUESTION_TEXT, line=question.line))
        questions.append(question)
    if reader.problems:
        raise ImportRefused(reader.problems)
    name = PurePath(filename)
    return SetSpec(
        title=name.stem or "Imported questions",
        external_id=f"moodle-xml:{name.name}",
        topics=topics,
        questions=questions,
        warnings=reader.warnings,
        media=reader.media,
    )
