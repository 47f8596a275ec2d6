import pytest

from questions.grading import (
    QUICK_ANSWER_BASE_MS,
    QUICK_ANSWER_MS_PER_WORD,
    AnswerKey,
    InvalidAnswer,
    KeyItem,
    grade,
    quick_answer_ms,
)
from questions.typed_answers import normalize

SLOW = 60_000
FAST = 100

FLASHCARD_KEY = AnswerKey(prompt="Who led the US delegation?", items=(KeyItem(1, "Harriman"),))
MC_KEY = AnswerKey(
    prompt="Who led the US delegation in Paris?",
    items=(
        KeyItem(1, "Averell Harriman", is_correct=True, fraction=1),
        KeyItem(2, "Henry Kissinger"),
        KeyItem(3, "Dean Rusk"),
    ),
)
MC_PARTIAL_CREDIT_KEY = AnswerKey(
    prompt="Where did the talks open?",
    items=(
        KeyItem(1, "Paris, Hotel Majestic", is_correct=True, fraction=1),
        KeyItem(2, "Paris", fraction=0.5),
        KeyItem(3, "Geneva"),
    ),
)
MC_MANY_KEY = AnswerKey(
    prompt="Who sat on the US delegation?",
    items=(
        KeyItem(1, "Harriman", is_correct=True, fraction=0.5),
        KeyItem(2, "Vance", is_correct=True, fraction=0.5),
        KeyItem(3, "Le Duc Tho", fraction=-1),
        KeyItem(4, "Xuan Thuy", fraction=-1),
    ),
)
TF_KEY = AnswerKey(
    prompt="The talks opened in May 1968.",
    items=(KeyItem(1, "True", is_correct=True, fraction=1), KeyItem(2, "False")),
)
SHORT_KEY = AnswerKey(
    prompt="Who led the US delegation?",
    items=(
        KeyItem(1, "Harriman", is_correct=True, fraction=1),
        KeyItem(2, "Averell Harriman", is_correct=True, fraction=1),
        KeyItem(3, "Vance", fraction=0.5),
    ),
)
ACCENT_KEY = AnswerKey(
    prompt="Which French city?",
    items=(KeyItem(1, "Besançon", is_correct=True, fraction=1),),
)
NUMERICAL_KEY = AnswerKey(
    prompt="In which year did the talks open?",
    items=(
        KeyItem(1, "1968", number=1968, tolerance=0, is_correct=True, fraction=1),
        KeyItem(2, "close", number=1968, tolerance=1, fraction=0.5),
    ),
)
CLOZE_KEY = AnswerKey(
    prompt="Talks began in {{1}} on {{2}}.",
    items=(
        KeyItem(1, "Paris", gap=1, is_correct=True, fraction=1),
        KeyItem(2, "May 13", gap=2, is_correct=True, fraction=1),
        KeyItem(3, "13 May", gap=2, is_correct=True, fraction=1),
    ),
)
MATCHING_KEY = AnswerKey(
    prompt="Match each person to their role.",
    items=(
        KeyItem(1, "Harriman", match_text="Chief negotiator"),
        KeyItem(2, "Clifford", match_text="Secretary of Defense"),
        KeyItem(3, "Johnson", match_text="President"),
    ),
)
ORDERING_KEY = AnswerKey(
    prompt="Put these in order.",
    items=(
        KeyItem(11, "Tet Offensive", position=1),
        KeyItem(12, "Johnson's speech", position=2),
        KeyItem(13, "Talks open", position=3),
        KeyItem(14, "Bombing halt", position=4),
    ),
)


@pytest.mark.parametrize(
    ("kind", "key", "answer", "response_ms", "rating", "is_correct", "score"),
    [
        # multiple choice, one right choice
        ("multiple_choice", MC_KEY, {"choices": [1]}, SLOW, 3, True, 1.0),
        ("multiple_choice", MC_KEY, {"choices": [1]}, FAST, 4, True, 1.0),
        ("multiple_choice", MC_KEY, {"choices": [2]}, FAST, 1, False, 0.0),
        ("multiple_choice", MC_PARTIAL_CREDIT_KEY, {"choices": [2]}, SLOW, 2, False, 0.5),
        # multiple choice, several right choices
        ("multiple_choice", MC_MANY_KEY, {"choices": [2, 1]}, SLOW, 3, True, 1.0),
        ("multiple_choice", MC_MANY_KEY, {"choices": [1]}, SLOW, 2, False, 0.5),
        ("multiple_choice", MC_MANY_KEY, {"choices": [1, 3]}, SLOW, 2, False, 0.0),
        ("multiple_choice", MC_MANY_KEY, {"choices": [3, 4]}, FAST, 1, False, 0.0),
        # true / false
        ("true_false", TF_KEY, {"value": True}, SLOW, 3, True, 1.0),
        ("true_false", TF_KEY, {"value": True}, FAST, 4, True, 1.0),
        ("true_false", TF_KEY, {"value": False}, FAST, 1, False, 0.0),
        # short answer: case, spaces, punctuation and diacritics do not matter; typos are Hard
        ("short_answer", SHORT_KEY, {"text": "Harriman"}, SLOW, 3, True, 1.0),
        ("short_answer", SHORT_KEY, {"text": "  averell   HARRIMAN. "}, FAST, 4, True, 1.0),
        ("short_answer", SHORT_KEY, {"text": "Harrimann"}, FAST, 2, True, 1.0),
        ("short_answer", SHORT_KEY, {"text": "Hariman"}, SLOW, 2, True, 1.0),
        ("short_answer", SHORT_KEY, {"text": "Vance"}, SLOW, 2, False, 0.5),
        ("short_answer", SHORT_KEY, {"text": "Kissinger"}, SLOW, 1, False, 0.0),
        ("short_answer", ACCENT_KEY, {"text": "besancon"}, SLOW, 3, True, 1.0),
        # numerical
        ("numerical", NUMERICAL_KEY, {"value": 1968}, SLOW, 3, True, 1.0),
        ("numerical", NUMERICAL_KEY, {"value": 1968.0}, FAST, 4, True, 1.0),
        ("numerical", NUMERICAL_KEY, {"value": 1969}, SLOW, 2, False, 0.5),
        ("numerical", NUMERICAL_KEY, {"value": 1975}, SLOW, 1, False, 0.0),
        # cloze: every gap right, some gaps right, a typo in a gap
        ("cloze", CLOZE_KEY, {"gaps": {"1": "Paris", "2": "13 May"}}, SLOW, 3, True, 1.0),
        ("cloze", CLOZE_KEY, {"gaps": {"1": "paris", "2": "May 13"}}, FAST, 4, True, 1.0),
        ("cloze", CLOZE_KEY, {"gaps": {"1": "Paris", "2": "June 1"}}, SLOW, 2, False, 0.5),
        ("cloze", CLOZE_KEY, {"gaps": {"1": "Paris"}}, SLOW, 2, False, 0.5),
        ("cloze", CLOZE_KEY, {"gaps": {"1": "Parsi", "2": "13 May"}}, SLOW, 2, True, 1.0),
        ("cloze", CLOZE_KEY, {"gaps": {"1": "Paris", "2": "Mya 13"}}, SLOW, 2, False, 0.5),
        ("cloze", CLOZE_KEY, {"gaps": {"1": "Rome", "2": "June 1"}}, FAST, 1, False, 0.0),
        # matching: all pairs, some pairs, none
        ("matching", MATCHING_KEY, {"pairs": {"1": 1, "2": 2, "3": 3}}, SLOW, 3, True, 1.0),
        ("matching", MATCHING_KEY, {"pairs": {"1": 1, "2": 2, "3": 3}}, FAST, 4, True, 1.0),
        ("matching", MATCHING_KEY, {"pairs": {"1": 1, "2": 3, "3": 2}}, SLOW, 2, False, 1 / 3),
        ("matching", MATCHING_KEY, {"pairs": {"1": 2, "2": 3, "3": 1}}, SLOW, 1, False, 0.0),
        # ordering: right, one adjacent swap, further off
        ("ordering", ORDERING_KEY, {"order": [11, 12, 13, 14]}, SLOW, 3, True, 1.0),
        ("ordering", ORDERING_KEY, {"order": [11, 12, 13, 14]}, FAST, 4, True, 1.0),
        ("ordering", ORDERING_KEY, {"order": [11, 13, 12, 14]}, FAST, 2, False, 5 / 6),
        ("ordering", ORDERING_KEY, {"order": [13, 12, 11, 14]}, SLOW, 1, False, 3 / 6),
        ("ordering", ORDERING_KEY, {"order": [14, 13, 12, 11]}, SLOW, 1, False, 0.0),
    ],
)
def test_rating_table(kind, key, answer, response_ms, rating, is_correct, score):
    result = grade(kind=kind, answer_key=key, answer=answer, response_ms=response_ms)

    assert (result.rating, result.is_correct) == (rating, is_correct)
    assert result.score == pytest.approx(score, abs=1e-4)


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_flashcard_takes_the_students_own_rating(rating):
    result = grade(
        kind="flashcard",
        answer_key=FLASHCARD_KEY,
        answer=None,
        response_ms=FAST,
        self_rating=rating,
    )

    assert (result.rating, result.is_correct, result.score) == (rating, None, None)


def test_flashcard_rating_may_come_in_the_answer():
    result = grade(
        kind="flashcard", answer_key=FLASHCARD_KEY, answer={"rating": 2}, response_ms=SLOW
    )

    assert result.rating == 2


def test_easy_threshold_grows_with_the_words_to_read():
    words = len(MC_KEY.prompt.split()) + sum(len(item.text.split()) for item in MC_KEY.items)
    threshold = QUICK_ANSWER_BASE_MS + QUICK_ANSWER_MS_PER_WORD * words
    assert quick_answer_ms("multiple_choice", MC_KEY) == threshold

    def rating(ms):
        return grade(
            kind="multiple_choice", answer_key=MC_KEY, answer={"choices": [1]}, response_ms=ms
        ).rating

    assert (rating(threshold), rating(threshold + 1)) == (4, 3)


def test_breakdown_names_each_part():
    result = grade(
        kind="cloze",
        answer_key=CLOZE_KEY,
        answer={"gaps": {"1": "Paris", "2": "June"}},
        response_ms=SLOW,
    )

    assert [(part.part, part.is_correct, part.expected) for part in result.parts] == [
        ("gap 1", True, "Paris"),
        ("gap 2", False, "May 13"),
    ]


@pytest.mark.parametrize(
    ("kind", "key", "answer", "message"),
    [
        ("flashcard", FLASHCARD_KEY, None, "Rate this flashcard"),
        ("flashcard", FLASHCARD_KEY, {"rating": 5}, "Rate this flashcard"),
        ("flashcard", FLASHCARD_KEY, {"rating": True}, "Rate this flashcard"),
        ("multiple_choice", MC_KEY, None, "JSON object"),
        ("multiple_choice", MC_KEY, {"choice": 1}, '"choices"'),
        ("multiple_choice", MC_KEY, {"choices": ["1"]}, '"choices"'),
        ("multiple_choice", MC_KEY, {"choices": [99]}, "not choices of this question"),
        ("multiple_choice", MC_KEY, {"choices": [1, 1]}, "not choices of this question"),
        ("multiple_choice", MC_KEY, {"choices": [1, 2]}, "pick exactly one"),
        ("true_false", TF_KEY, {"value": "true"}, "true or false"),
        ("short_answer", SHORT_KEY, {"text": None}, '"text"'),
        ("numerical", NUMERICAL_KEY, {"value": "nineteen-sixty-eight and more"}, "number"),
        ("numerical", NUMERICAL_KEY, {"value": "1968 or 1969"}, "number"),
        ("numerical", NUMERICAL_KEY, {"value": None}, "number"),
        ("numerical", NUMERICAL_KEY, {"value": float("nan")}, "number"),
        ("numerical", NUMERICAL_KEY, {"value": True}, "number"),
        ("cloze", CLOZE_KEY, {"gaps": ["Paris"]}, '"gaps"'),
        ("cloze", CLOZE_KEY, {"gaps": {"3": "Paris"}}, "not gaps of this question"),
        ("matching", MATCHING_KEY, {"pairs": [[1, 1]]}, '"pairs"'),
        ("matching", MATCHING_KEY, {"pairs": {"1": 9}}, "not items of this question"),
        ("ordering", ORDERING_KEY, {"order": [11, 12, 13]}, '"order"'),
        ("ordering", ORDERING_KEY, {"order": [11, 12, 13, 13]}, '"order"'),
        ("essay", FLASHCARD_KEY, {"text": "x"}, "cannot be graded"),
    ],
)
def test_malformed_answers_are_refused_with_a_message(kind, key, answer, message):
    with pytest.raises(InvalidAnswer, match=message):
        grade(kind=kind, answer_key=key, answer=answer, response_ms=SLOW)


@pytest.mark.parametrize("response_ms", [-1, "5", None, 1.5])
def test_response_time_must_be_milliseconds(response_ms):
    with pytest.raises(InvalidAnswer, match="milliseconds"):
        grade(kind="true_false", answer_key=TF_KEY, answer={"value": True}, response_ms=response_ms)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  Hô Chi Minh!  ", "ho chi minh"),
        ("ÉCOLE", "ecole"),
        ("Le Duc-Tho", "le duc tho"),
        ("Straße", "strasse"),
    ],
)
def test_normalize(given, expected):
    assert normalize(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  Hô Chi Minh!  ", "ho chi minh"),
        ("ÉCOLE", "ecole"),
        ("Le Duc-Tho", "le duc tho"),
        ("Straße", "strasse"),
        ("Đánh và đàm", "danh va dam"),
    ],
)
def test_normalize(given, expected):
    assert normalize(given) == expected
