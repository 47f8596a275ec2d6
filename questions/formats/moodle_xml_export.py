"""Writing a set as a Moodle XML file that Moodle imports: the same question types back (a
flashcard as a short-answer question, a cloze as embedded answers, an ordering question as
qtype_ordering), topics as tags, and the images the texts show inside the file as base64
(`@@PLUGINFILE@@/name`); moodle_xml reads such files.
"""

import base64
import re
import xml.etree.ElementTree as ET

from questions.formats.common import (
    grades_moodle_refuses,
    html_to_text,
    looks_like_html,
    number_text,
)
from questions.formats.moodle_cloze import (
    percent,
    write_embedded,
)
from questions.formats.moodle_xml import PLUGINFILE
from questions.formats.spec import (
    AnswerSpec,
    QuestionSpec,
    SetSpec,
    Written,
)
from questions.models.banks import QuestionKind
from questions.validation import ANY_OTHER_ANSWER, is_any_other

FLASHCARD_AS_SHORT_ANSWER = (
    "Moodle has no flashcards: {count} were written as short-answer questions accepting the back."
)
ORDERING_OPTIONS = (
    ("layouttype", "VERTICAL"),
    ("selecttype", "ALL"),
    ("selectcount", "0"),
    ("gradingtype", "ABSOLUTE_POSITION"),
    ("showgrading", "SHOW"),
    ("numberingstyle", "none"),
)
XML_NO_SOURCE = "Moodle XML has no place for the source text and passages; they were left out."
MEDIA_REFERENCE = re.compile(r"""(?P<attr>src|href)=(?P<quote>["'])(?P<name>[^"'/:]+)(?P=quote)""")


class _Writer:
    def __init__(self, media: dict[str, bytes]):
        self.media = media

    def text(self, parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
        """A Moodle text element; the media its text shows travel inside it, base64."""
        element = ET.SubElement(parent, tag, attributes)
        element.set("format", "html" if looks_like_html(value) else "moodle_auto_format")
        names: list[str] = []

        def embed(match: re.Match) -> str:
            name = match.group("name")
            if name not in self.media:
                return match.group(0)
            names.append(name)
            quote = match.group("quote")
            return f"{match.group('attr')}={quote}{PLUGINFILE}{name}{quote}"

        ET.SubElement(element, "text").text = MEDIA_REFERENCE.sub(embed, value)
        for name in dict.fromkeys(names):
            file = ET.SubElement(element, "file", {"name": name, "path": "/", "encoding": "base64"})
            file.text = base64.b64encode(self.media[name]).decode("ascii")
        return element

    def answer(self, parent: ET.Element, answer: AnswerSpec, text: str) -> ET.Element:
        element = self.text(parent, "answer", text, fraction=percent(answer.fraction))
        self.text(element, "feedback", answer.feedback)
        return element

    def question(self, quiz: ET.Element, spec: SetSpec, question: QuestionSpec) -> None:
        qtype = {
            QuestionKind.FLASHCARD: "shortanswer",
            QuestionKind.MULTIPLE_CHOICE: "multichoice",
            QuestionKind.TRUE_FALSE: "truefalse",
            QuestionKind.SHORT_ANSWER: "shortanswer",
            QuestionKind.NUMERICAL: "numerical",
            QuestionKind.MATCHING: "matching",
            QuestionKind.CLOZE: "cloze",
            QuestionKind.ORDERING: "ordering",
        }[question.kind]
        element = ET.SubElement(quiz, "question", {"type": qtype})
        name = ET.SubElement(element, "name")
        ET.SubElement(name, "text").text = question.title or html_to_text(question.prompt)[:80]
        prompt = (
            write_embedded(question) if question.kind == QuestionKind.CLOZE else question.prompt
        )
        self.text(element, "questiontext", prompt)
        self.text(element, "generalfeedback", question.explanation)
        ET.SubElement(element, "idnumber").text = question.external_id
        answers = question.answers
        match question.kind:
            case QuestionKind.MULTIPLE_CHOICE:
                single = sum(a.is_correct for a in answers) == 1 and all(
                    a.fraction == 1 for a in answers if a.is_correct
                )
                ET.SubElement(element, "single").text = "true" if single else "false"
                ET.SubElement(element, "shuffleanswers").text = "true"
                ET.SubElement(element, "answernumbering").text = "abc"
                for answer in answers:
                    self.answer(element, answer, answer.text)
            case QuestionKind.TRUE_FALSE:
                for answer in answers:
                    self.answer(element, answer, answer.text.lower())
            case QuestionKind.FLASHCARD | QuestionKind.SHORT_ANSWER:
                ET.SubElement(element, "usecase").text = "0"
                for answer in answers:
                    self.answer(element, answer, html_to_text(answer.text))
            case QuestionKind.NUMERICAL:
                for answer in answers:
                    if is_any_other(answer):
                        written = self.answer(element, answer, ANY_OTHER_ANSWER)
                        ET.SubElement(written, "tolerance").text = "0"
                        continue
                    written = self.answer(element, answer, number_text(answer.number or 0))
                    ET.SubElement(written, "tolerance").text = number_text(answer.tolerance or 0)
            case QuestionKind.MATCHING:
                ET.SubElement(element, "shuffleanswers").text = "true"
                for answer in answers:
                    sub = self.text(element, "subquestion", answer.text)
                    right = ET.SubElement(sub, "answer")
                    ET.SubElement(right, "text").text = answer.match_text
            case QuestionKind.ORDERING:
                # Moodle's qtype_ordering: every item shown, graded by its place; the items
                # are written in their right order.
                for name, value in ORDERING_OPTIONS:
                    ET.SubElement(element, name).text = value
                for answer in answers:
                    self.answer(element, answer, answer.text)
        if question.topics:
            tags = ET.SubElement(element, "tags")
            for slug in question.topics:
                ET.SubElement(ET.SubElement(tags, "tag"), "text").text = spec.topics.get(slug, slug)


def write_moodle_xml(spec: SetSpec) -> Written:
    """The set as a Moodle XML file that Moodle imports, with its images inside."""
    warnings = [XML_NO_SOURCE] if spec.source else []
    quiz = ET.Element("quiz")
    writer = _Writer(spec.media)
    flashcards = 0
    for number, question in enumerate(spec.questions, start=1):
        if refused := grades_moodle_refuses(question, label=question.external_id or str(number)):
            warnings.append(refused)
        flashcards += question.kind == QuestionKind.FLASHCARD
        writer.question(quiz, spec, question)
    if flashcards:
        warnings.append(FLASHCARD_AS_SHORT_ANSWER.format(count=flashcards))
    ET.indent(quiz)
    content = ET.tostring(quiz, encoding="unicode", xml_declaration=False)
    return Written(f'<?xml version="1.0" encoding="UTF-8"?>\n{content}\n'.encode(), warnings)
