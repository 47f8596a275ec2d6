"""Format-neutral description of a set, which every importer produces and every exporter reads."""

from dataclasses import dataclass, field


@dataclass
class PassageSpec:
    heading: str
    text: str


@dataclass
class SourceSpec:
    slug: str
    title: str
    text: str
    passages: list[PassageSpec]
    citation: str = ""
    period: str = ""


@dataclass
class AnswerSpec:
    text: str = ""
    match_text: str = ""
    is_correct: bool = False
    fraction: float = 0.0
    gap: int | None = None
    number: float | None = None
    tolerance: float | None = None
    feedback: str = ""
    is_choice: bool = False
    """An option of a cloze gap that is chosen from a list (Moodle's MULTICHOICE gap)."""


@dataclass
class QuestionSpec:
    kind: str
    prompt: str
    answers: list[AnswerSpec]
    title: str = ""
    explanation: str = ""
    passage: int | None = None
    """Position (from 1) of the cited passage in the set's source."""
    sentence: str = ""
    """The words of the cited passage that support the answer, quoted exactly (a sentence)."""
    topics: list[str] = field(default_factory=list)
    """Topic slugs; their names are in SetSpec.topics."""
    external_id: str = ""
    line: int | None = None
    """Where the question starts in the imported file, for error messages."""
    origin: dict = field(default_factory=dict)
    """What the file said about the question that quizsite has no place for, by format name
    (an Anki note's guid, note type and fields), so an export to that format restores it.

    A reader may list, under `origin[format]["media"]`, names of SetSpec.media files that only
    the origin refers to; the import stores them and keeps a name → stored-file map there, and
    the export puts them back into SetSpec.media under those names."""
    edited: bool = False
    """On export: the question was changed in quizsite since its origin was imported, so the
    origin's copy of its texts is out of date."""


@dataclass
class SetSpec:
    title: str
    questions: list[QuestionSpec]
    description: str = ""
    external_id: str = ""
    visibility: str = "private"
    topics: dict[str, str] = field(default_factory=dict)
    """Topic slug to name, for every topic of the set and its questions."""
    source: SourceSpec | None = None
    desired_retention: float = 0.9
    new_order: str = "in_order"
    warnings: list[str] = field(default_factory=list)
    """What the reader skipped or changed, for the import report."""
    origin: dict = field(default_factory=dict)
    """What the file said about the set that quizsite has no place for, by format name (an
    Anki package's note types); merged into the saved set's, and given back on export."""
    media: dict[str, bytes] = field(default_factory=dict)
    """Files the texts refer to by name (`<img src="name">`), such as an Anki deck's images.

    On import they are stored under MEDIA and the references rewritten to their URLs; on
    export to a format that carries files the references name these entries."""


@dataclass(frozen=True)
class ImportProblem:
    message: str
    line: int | None = None
    question: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.question:
            where.append(f"question {self.question}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRefused(Exception):
    """A file that cannot be imported; nothing from it was saved."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass
class Written:
    """A written file, and what its format could not hold."""

    content: bytes
    warnings: list[str] = field(default_factory=list)
