"""The shipped question banks in fixtures/: they load, validate, cite their source and cover it."""

import re
from collections import Counter
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from questions.formats.native import read_native
from questions.formats.spec import QuestionSpec, SetSpec
from questions.grading import EASY, GOOD, AnswerKey, KeyItem, grade
from questions.models import (
    Answer,
    Assignment,
    Classroom,
    Passage,
    Question,
    QuestionSet,
    Source,
    Topic,
)
from questions.models.banks import QuestionKind
from questions.validation import validate_answer_key
from tests.conftest import BUNDLED_SOURCE, SHARED_SOURCE

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SET_FILES = sorted(FIXTURES_DIR.glob("*.yaml"))
BANK_FILE = FIXTURES_DIR / "paris-peace-talks.yaml"
BANK_SOURCE_SLUG = "paris-peace-talks"
DEMO_TEACHER = "teacher"
DEMO_JOIN_CODE = "DEMO1968"
MINIMUM_QUESTIONS = 60
SLOW_ENOUGH_MS = 60_000
# Quotations in explanations and feedback; shorter ones only mention a word of the text.
QUOTATION = re.compile(r'"([^"]+)"')
ELLIPSIS = re.compile(r"\s*…\s*")
QUOTATION_MIN_WORDS = 3
# The topics the issue asks for, so that a student can study one of them.
REQUIRED_TOPICS = [
    "Origins",
    "The talks open",
    "Positions of each side",
    "The 1968 stalemate",
    "The Nixon administration",
    "Impact",
]
# Every person, date and key fact the issue names: (as the text says it, as a question asks it).
KEY_FACTS = [
    ("Lyndon B. Johnson", "Johnson"),
    ("Averell Harriman", "Harriman"),
    ("Clark Clifford", "Clifford"),
    ("Ho Chi Minh", "Ho Chi Minh"),
    ("National Liberation Front", "NLF"),
    ("South Vietnamese government", "South Vietnamese government"),
    ("Republicans", "Republican"),
    ("Richard M. Nixon", "Nixon"),
    ("early 1968", "early 1968"),
    ("March 31, 1968", "March 31, 1968"),
    ("Three days after", "days after"),
    ("May 12", "May 12"),
    ("remainder of 1968", "rest of 1968"),
    ("fall of 1968", "fall of 1968"),
    ("November, 1968, presidential election", "election"),
    ("October 31", "October 31"),
    ("late 1969", "late 1969"),
    ("In May, 1969", "May 1969"),
    ("in 1970", "1970"),
    ("four years", "four years"),
    ("in 1975", "1975"),
    ("(1993)", "1993"),
    ("(1996)", "1996"),
    ("unconditional halt of U.S. bombing", "unconditional halt"),
    ("reciprocal North Vietnamese army troop withdrawals", "troop withdrawals"),
    ("danh va dam", "danh va dam"),
    ("Vietnamization", "Vietnamization"),
    ("minor concessions", "minor concessions"),
    ("“serious” talks", "serious"),
    ("shape of the negotiating table", "shape"),
    ("peace-through-coercion", "coercion"),
    ("phased withdrawal of U.S. forces", "phased withdrawal"),
    ("nothing new", "nothing new"),
    ("antiwar movement", "antiwar movement"),
    ("Kent State University", "Kent State"),
    ("invasion of Cambodia", "Cambodia"),
    ("“peace with honor”", "peace with honor"),
    ("Ronald Spector", "Spector"),
    ("George C. Herring", "Herring"),
]
# The source's headings, read off the text: the summary comes before the first heading.
EXPECTED_HEADINGS = [
    "",
    "Origins and History",
    "The Talks",
    "The Talks",
    "The Talks",
    "The Talks",
    "Impact",
    "Additional Information",
]


@cache
def read_set(path: Path) -> SetSpec:
    return read_native(path.read_text(encoding="utf-8"), base_dir=path.parent)


def questions_of_kind(kind: str) -> list[tuple[str, QuestionSpec]]:
    return [
        (path.name, question)
        for path in SET_FILES
        for question in read_set(path).questions
        if question.kind == kind
    ]


def short_answer_cases() -> list:
    return [
        pytest.param(question, variant.text, id=f"{question.external_id}:{variant.text}")
        for _, question in questions_of_kind(QuestionKind.SHORT_ANSWER)
        for variant in question.answers
        if variant.is_correct
    ]


def cloze_cases() -> list:
    return [
        pytest.param(
            question, variant.gap, variant.text, id=f"{question.external_id}:{variant.text}"
        )
        for _, question in questions_of_kind(QuestionKind.CLOZE)
        for variant in question.answers
        if variant.is_correct
    ]


def answer_key(question: QuestionSpec) -> AnswerKey:
    """The grading key of a question as the file gives it; ids are the answers' positions."""
    return AnswerKey(
        prompt=question.prompt,
        items=tuple(
            KeyItem(
                id=position,
                text=answer.text,
                match_text=answer.match_text,
                is_correct=answer.is_correct,
                fraction=answer.fraction,
                gap=answer.gap,
                number=answer.number,
                tolerance=answer.tolerance,
                position=position,
            )
            for position, answer in enumerate(question.answers, start=1)
        ),
    )


def stored_set(path: Path) -> QuestionSet:
    return QuestionSet.objects.get(
        owner__username=DEMO_TEACHER, external_id=read_set(path).external_id
    )


def prose_paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text that are prose: blocks that end a sentence.

    Title, date line, headings and the image file name end without a full stop.
    """
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [block.strip() for block in blocks if block.strip().rstrip("”’\"')").endswith(".")]


def quoted_fragments(texts: list[str]) -> list[str]:
    """The quotations of three words or more in `texts`; an ellipsis splits a quotation."""
    fragments = []
    for text in texts:
        for quotation in QUOTATION.findall(text):
            for fragment in ELLIPSIS.split(quotation):
                fragment = fragment.strip(" .,;:")
                if len(fragment.split()) >= QUOTATION_MIN_WORDS:
                    fragments.append(fragment)
    return fragments


def comparable(text: str) -> str:
    """Curly quotes as straight ones, single spaces, case folded."""
    straight = text.translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"\s+", " ", straight).casefold()


def row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def row_ids() -> dict[str, set[int]]:
    """The rows of the bank, by id: a second seed must keep them, not delete and recreate them."""
    return {
        model._meta.db_table: set(model._default_manager.values_list("pk", flat=True))
        for model in (Source, Passage, QuestionSet, Question, Answer, Topic, Assignment)
    }


# ── Loading ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", SET_FILES, ids=lambda path: path.name)
def test_seed_loads_every_set_file_for_the_demo_teacher_and_assigns_it_to_the_demo_class(
    seeded, path
):
    question_set = stored_set(path)

    assert question_set.questions.count() == len(read_set(path).questions)
    assert question_set.visibility == QuestionSet.Visibility.PUBLIC
    assert Assignment.objects.filter(
        classroom=Classroom.objects.get(join_code=DEMO_JOIN_CODE), question_set=question_set
    ).exists()


def test_there_is_more_than_one_set_for_a_student_to_choose(seeded):
    assert QuestionSet.objects.filter(owner__username=DEMO_TEACHER).count() >= 2


def test_the_bank_reads_its_source_from_the_copy_inside_the_project():
    named = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))["source"]

    assert (FIXTURES_DIR / named["file"]).resolve() == BUNDLED_SOURCE.resolve()
    assert read_set(BANK_FILE).source.slug == BANK_SOURCE_SLUG


@pytest.mark.parametrize("path", SET_FILES, ids=lambda path: path.name)
def test_stored_questions_say_what_their_file_says(seeded, path):
    question_set = stored_set(path)
    stored = {
        question.external_id: question
        for question in question_set.questions.prefetch_related("answers", "topics").select_related(
            "passage"
        )
    }
    spec = read_set(path)

    assert sorted(stored) == sorted(question.external_id for question in spec.questions)
    for expected in spec.questions:
        question = stored[expected.external_id]
        assert (question.kind, question.prompt, question.explanation) == (
            expected.kind,
            expected.prompt,
            expected.explanation,
        ), expected.external_id
        assert question.passage.position == expected.passage, expected.external_id
        assert sorted(topic.name for topic in question.topics.all()) == sorted(
            spec.topics[slug] for slug in expected.topics
        ), expected.external_id
        assert [
            (a.text, a.match_text, a.is_correct, a.gap, a.number, a.tolerance)
            for a in question.answers.order_by("position")
        ] == [
            (a.text, a.match_text, a.is_correct, a.gap, a.number, a.tolerance)
            for a in expected.answers
        ], expected.external_id


def test_seeding_twice_duplicates_nothing(seeded):
    before = row_counts()
    rows_before = row_ids()

    call_command("seed", stdout=StringIO())

    assert before[QuestionSet._meta.db_table] >= len(SET_FILES)
    assert row_counts() == before
    assert row_ids() == rows_before


# ── Every question is valid and cites its source ─────────────────────────────


@pytest.mark.parametrize("path", SET_FILES, ids=lambda path: path.name)
def test_every_stored_question_validates(seeded, path):
    problems = {}
    for question in stored_set(path).questions.prefetch_related("answers"):
        try:
            validate_answer_key(
                kind=question.kind, prompt=question.prompt, answers=question.answers.all()
            )
            question.full_clean()
            for answer in question.answers.all():
                answer.full_clean()
        except ValidationError as error:
            problems[question.external_id] = error.messages

    assert problems == {}


@pytest.mark.parametrize("path", SET_FILES, ids=lambda path: path.name)
def test_every_question_cites_a_passage_of_its_sets_source(seeded, path):
    question_set = stored_set(path)
    citing_elsewhere = [
        question.external_id
        for question in question_set.questions.select_related("passage")
        if question.passage is None or question.passage.source_id != question_set.source_id
    ]

    assert question_set.source is not None
    assert citing_elsewhere == []


def test_every_passage_of_the_source_is_cited_by_the_bank(seeded):
    question_set = stored_set(BANK_FILE)
    cited = set(question_set.questions.values_list("passage__position", flat=True))

    assert set(question_set.source.passages.values_list("position", flat=True)) - cited == set()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(BUNDLED_SOURCE, id="bundled copy"),
        pytest.param(
            SHARED_SOURCE,
            id="shared original",
            marks=pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="no ../shared checkout"),
        ),
    ],
)
def test_the_passages_are_the_source_paragraphs_word_for_word(seeded, path):
    source = Source.objects.get(slug=BANK_SOURCE_SLUG)
    passages = list(source.passages.order_by("position"))

    assert [passage.text for passage in passages] == prose_paragraphs(
        path.read_text(encoding="utf-8")
    )
    assert [passage.heading for passage in passages] == EXPECTED_HEADINGS


def test_the_stored_source_keeps_the_whole_text(seeded):
    source = Source.objects.get(slug=BANK_SOURCE_SLUG)

    assert source.text == BUNDLED_SOURCE.read_text(encoding="utf-8").strip()
    assert (source.title, source.period) == ("Paris Peace Talks", "1968-1969")


# ── What the bank contains ───────────────────────────────────────────────────


def test_the_bank_has_at_least_sixty_questions():
    assert len(read_set(BANK_FILE).questions) >= MINIMUM_QUESTIONS


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_every_question_type_occurs_in_the_bank(kind):
    assert kind in {question.kind for question in read_set(BANK_FILE).questions}


def test_the_bank_has_a_multiple_choice_question_with_several_right_choices():
    right_counts = [
        sum(answer.is_correct for answer in question.answers)
        for question in read_set(BANK_FILE).questions
        if question.kind == QuestionKind.MULTIPLE_CHOICE
    ]

    assert max(right_counts) >= 2


@pytest.mark.parametrize("topic", REQUIRED_TOPICS)
def test_every_topic_the_issue_names_has_questions(topic):
    spec = read_set(BANK_FILE)
    slugs = [slug for slug, name in spec.topics.items() if name == topic]
    counts = Counter(slug for question in spec.questions for slug in question.topics)

    assert len(slugs) == 1
    assert counts[slugs[0]] >= 3


@pytest.mark.parametrize(("fact", "cue"), KEY_FACTS, ids=[fact for fact, _ in KEY_FACTS])
def test_every_key_fact_is_asked_about_by_a_question_citing_it(fact, cue):
    spec = read_set(BANK_FILE)
    stating = [
        position
        for position, passage in enumerate(spec.source.passages, start=1)
        if fact in passage.text
    ]
    asking = [
        question.external_id
        for question in spec.questions
        if question.passage in stating
        and cue.casefold()
        in " ".join(
            [question.prompt, *(f"{a.text} {a.match_text}" for a in question.answers)]
        ).casefold()
    ]

    assert stating, f"the source does not say {fact!r}"
    assert asking


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(question, id=question.external_id)
        for path in SET_FILES
        for question in read_set(path).questions
    ],
)
def test_every_question_has_an_id_a_topic_a_passage_and_an_explanation(question):
    assert question.external_id
    assert question.topics
    assert question.passage is not None
    assert question.explanation


@pytest.mark.parametrize(
    ("path", "question"),
    [
        pytest.param(path, question, id=question.external_id)
        for path in SET_FILES
        for question in read_set(path).questions
    ],
)
def test_every_quotation_in_an_explanation_or_feedback_is_in_the_cited_passage(path, question):
    passage = comparable(read_set(path).source.passages[question.passage - 1].text)
    texts = [question.explanation, *(answer.feedback for answer in question.answers)]

    assert [
        fragment for fragment in quoted_fragments(texts) if comparable(fragment) not in passage
    ] == []


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(question, id=question.external_id)
        for _, question in questions_of_kind("true_false")
    ],
)
def test_every_true_false_question_gives_feedback_for_both_answers(question):
    assert all(answer.feedback for answer in question.answers)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(question, id=question.external_id)
        for _, question in questions_of_kind("numerical")
    ],
)
def test_numerical_answers_are_exact(question):
    assert [answer.tolerance for answer in question.answers] == [0]


# ── Grading the accepted answers ─────────────────────────────────────────────


@pytest.mark.parametrize(("question", "variant"), short_answer_cases())
def test_short_answer_accepts_each_listed_variant(question, variant):
    result = grade(
        kind=QuestionKind.SHORT_ANSWER,
        answer_key=answer_key(question),
        answer={"text": variant},
        response_ms=SLOW_ENOUGH_MS,
    )

    assert result.is_correct
    assert result.rating in (GOOD, EASY)


def test_the_chief_negotiator_may_be_named_three_ways():
    question = next(
        question
        for question in read_set(BANK_FILE).questions
        if question.kind == QuestionKind.SHORT_ANSWER and "chief U.S. negotiator" in question.prompt
    )

    assert {answer.text for answer in question.answers} >= {
        "Harriman",
        "Averell Harriman",
        "W. Averell Harriman",
    }


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(question, id=question.external_id)
        for _, question in questions_of_kind(QuestionKind.SHORT_ANSWER)
    ],
)
def test_short_answer_refuses_the_answers_to_the_other_short_answer_questions(question):
    # Each short answer of the bank has its own answer, so another question's answer is wrong here.
    others = {
        answer.text
        for _, other in questions_of_kind(QuestionKind.SHORT_ANSWER)
        if other is not question
        for answer in other.answers
    }
    accepted_by_mistake = [
        text
        for text in sorted(others)
        if grade(
            kind=QuestionKind.SHORT_ANSWER,
            answer_key=answer_key(question),
            answer={"text": text},
            response_ms=SLOW_ENOUGH_MS,
        ).is_correct
    ]

    assert accepted_by_mistake == []


@pytest.mark.parametrize(("question", "gap", "variant"), cloze_cases())
def test_cloze_accepts_each_listed_variant_of_each_gap(question, gap, variant):
    result = grade(
        kind=QuestionKind.CLOZE,
        answer_key=answer_key(question),
        answer={"gaps": {str(gap): variant}},
        response_ms=SLOW_ENOUGH_MS,
    )

    assert {part.part: part.is_correct for part in result.parts}[f"gap {gap}"]


def bank_question(external_id: str) -> QuestionSpec:
    return next(q for q in read_set(BANK_FILE).questions if q.external_id == external_id)


@pytest.mark.parametrize(
    "question", [q for q in read_set(BANK_FILE).questions if q.kind == QuestionKind.MATCHING]
)
def test_a_matching_question_has_three_pairs_so_that_no_choice_forces_another(question):
    assert len(question.answers) >= 3, question.external_id
    assert len({answer.match_text for answer in question.answers}) == len(question.answers)


@pytest.mark.parametrize("external_id", ["ppt-076", "ppt-077", "ppt-079"])
def test_the_further_reading_titles_are_quoted_as_the_text_gives_them(external_id):
    question = bank_question(external_id)
    text = question.prompt + " ".join(a.match_text for a in question.answers)

    assert "After Tet, The" not in text
    assert "After Tet" not in text or "After Tet: The Bloodiest Year in Vietnam" in text


def test_the_bombing_times_cannot_be_confused():
    # October 31 fell in the fall of 1968: the two cannot both be times to match.
    lefts = [answer.text for answer in bank_question("ppt-052").answers]

    assert "October 31" in lefts
    assert not any("fall" in left.casefold() for left in lefts)


def test_the_south_decided_in_late_1968_to_bet_on_1969():
    for external_id in ("ppt-046", "ppt-052"):
        question = bank_question(external_id)
        text = question.prompt + " ".join(a.match_text for a in question.answers)
        assert "late in 1968" in text.casefold() or "late 1968" in text.casefold(), external_id


def test_the_causal_chain_asks_for_causal_order():
    prompt = bank_question("ppt-010").prompt

    assert "causal order" in prompt
    assert "in the order the text gives" not in prompt


@pytest.mark.parametrize(
    ("external_id", "typed"),
    [
        ("ppt-046", "Richard Milhous Nixon"),
        ("ppt-046", "Mr. Nixon"),
        ("ppt-015", "Paris."),
    ],
)
def test_the_right_answers_the_issue_names_grade_right_on_the_bank(external_id, typed):
    question = bank_question(external_id)
    key = AnswerKey(
        prompt=question.prompt,
        items=tuple(
            KeyItem(i, a.text, is_correct=a.is_correct, fraction=a.fraction)
            for i, a in enumerate(question.answers)
        ),
    )

    result = grade(
        kind=question.kind, answer_key=key, answer={"text": typed}, response_ms=SLOW_ENOUGH_MS
    )

    assert result.is_correct
    assert result.rating == GOOD


def cloze_gap_cases() -> list:
    """Per cloze question with a supporting sentence, each gap's first accepted answer."""
    firsts: dict[tuple[str, str], tuple[QuestionSpec, str]] = {}
    for _, question in questions_of_kind(QuestionKind.CLOZE):
        for variant in question.answers:
            if question.sentence and variant.is_correct:
                firsts.setdefault((question.external_id, variant.gap), (question, variant.text))
    return [
        pytest.param(question, text, id=f"{external_id}:gap {gap}")
        for (external_id, gap), (question, text) in firsts.items()
    ]


@pytest.mark.parametrize(("question", "answer"), cloze_gap_cases())
def test_a_cloze_questions_highlighted_sentence_holds_the_answer_of_every_gap(question, answer):
    assert comparable(answer) in comparable(question.sentence)
