import pytest

from questions.answer_values import (
    TypedDate,
    TypedNumber,
    parse_date,
    parse_number,
    parse_number_words,
    parse_numeric_date,
    unit_is_asked,
)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("zero", 0),
        ("three", 3),
        ("Nineteen", 19),
        ("twenty", 20),
        ("twenty-one", 21),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("one hundred", 100),
        ("one hundred and five", 105),
        ("two hundred thirty", 230),
        ("a thousand", 1000),
        ("two thousand and five", 2005),
        ("nineteen thousand", 19000),
        ("seventy-three thousand four hundred", 73400),
        ("one million two hundred thousand", 1_200_000),
        ("three, four", None),
        ("nineteen sixty", None),
        ("three four", None),
        ("twenty thirty", None),
        ("twenty ten", None),
        ("twenty zero", None),
        ("eleven hundred", None),
        ("hundred", None),
        ("thousand", None),
        ("and", None),
        ("three and", None),
        ("and three", None),
        ("one hundred and", None),
        ("a", None),
        ("three a", None),
        ("thousand thousand", None),
        ("one thousand thousand", None),
        ("one thousand two thousand", None),
        ("two thousand one million", None),
        ("one million thousand", None),
        ("one million two thousand", 1_002_000),
        ("one hundred and twenty", 120),
        ("one hundred and a thousand", None),
        ("nine hundred", 900),
        ("ten hundred", None),
        ("", None),
        ("many", None),
    ],
)
def test_number_words_in_english_order_are_a_number(typed, value):
    assert parse_number_words(typed) == value


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1968", TypedNumber(1968.0)),
        ("  1968  ", TypedNumber(1968.0)),
        ("1968.", TypedNumber(1968.0)),
        ("1,968", TypedNumber(1968.0)),
        ("1 968", TypedNumber(1968.0)),
        ("1\u202f968", TypedNumber(1968.0)),
        ("1'968", TypedNumber(1968.0)),
        ("1,500,000", TypedNumber(1_500_000.0)),
        ("1,968.5", TypedNumber(1968.5)),
        ("2.5", TypedNumber(2.5)),
        ("2,5", TypedNumber(2.5)),
        (".5", TypedNumber(0.5)),
        ("-4", TypedNumber(-4.0)),
        ("−4", TypedNumber(-4.0)),
        ("+4", TypedNumber(4.0)),
        ("3 days", TypedNumber(3.0, "days")),
        ("3 Days.", TypedNumber(3.0, "days")),
        ("3days", TypedNumber(3.0, "days")),
        ("50%", TypedNumber(50.0, "%")),
        ("50 %", TypedNumber(50.0, "%")),
        ("three", TypedNumber(3.0)),
        ("three Days", TypedNumber(3.0, "days")),
        ("four years", TypedNumber(4.0, "years")),
        ("twenty one days", TypedNumber(21.0, "days")),
        ("three and", None),
        ("3 BOX", TypedNumber(3.0, "box")),
        ("1968 or 1969", None),
        ("1,96", TypedNumber(1.96)),
        ("nineteen 68", None),
        ("eleven hundred", None),
        ("three 4", None),
        ("days", None),
        ("", None),
        ("1968!", None),
    ],
)
def test_a_typed_number_is_read_with_its_unit(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("october 31", TypedDate(10, 31, None)),
        ("31 oct", TypedDate(10, 31, None)),
        ("oct 31st", TypedDate(10, 31, None)),
        ("31st of october", TypedDate(10, 31, None)),
        ("the 31st of october", TypedDate(10, 31, None)),
        ("october 31 1968", TypedDate(10, 31, 1968)),
        ("31 october 1968", TypedDate(10, 31, 1968)),
        ("sept 2", TypedDate(9, 2, None)),
        ("may 1", TypedDate(5, 1, None)),
        ("november 1968", TypedDate(11, None, 1968)),
        ("1968 november", None),
        ("november 1968 1969", None),
        ("october 32", None),
        ("october 0", None),
        ("october", None),
        ("31", None),
        ("may june", None),
        ("october 31 68", None),
        ("october 31 1968 extra", None),
        ("", None),
    ],
)
def test_a_date_is_read_in_either_order(typed, date):
    assert parse_date(typed.split()) == date


@pytest.mark.parametrize(
    ("unit", "prompt", "asked"),
    [
        ("days", "how many days after", True),
        ("day", "how many days after", True),
        ("days", "how many day", True),
        ("weeks", "how many days after", False),
        ("%", "what percent of voters", True),
        ("%", "what share of voters", False),
        ("percent", "what percent of voters", True),
        ("square miles", "how many square miles", True),
        ("square km", "how many square miles", False),
        ("", "how many days", False),
        ("3", "how many 3", False),
        ("km", "how many km", True),
        ("s", "how many days after johnson s speech", False),
    ],
)
def test_a_unit_counts_only_when_the_question_names_it(unit, prompt, asked):
    assert unit_is_asked(unit, prompt_words=prompt.split()) is asked


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("31/10", TypedDate(10, 31, None)),
        ("10/31", TypedDate(10, 31, None)),
        ("31/10/1968", TypedDate(10, 31, 1968)),
        ("10/31/1968", TypedDate(10, 31, 1968)),
        ("31.10.1968", TypedDate(10, 31, 1968)),
        ("31-10-1968.", TypedDate(10, 31, 1968)),
        ("1968-10-31", TypedDate(10, 31, 1968)),
        ("1968-1-1", TypedDate(1, 1, 1968)),
        ("1968-12-31", TypedDate(12, 31, 1968)),
        ("5/5", TypedDate(5, 5, None)),
        ("12/12/1968", TypedDate(12, 12, 1968)),
        ("12/31", TypedDate(12, 31, None)),
        ("13/5", TypedDate(5, 13, None)),
        ("5/13", TypedDate(5, 13, None)),
        ("13/10", TypedDate(10, 13, None)),
        # reads two ways, or not at all
        ("3/10", None),
        ("12/5", None),
        ("5/12", None),
        ("31/10X", None),
        ("3/10/1968", None),
        ("31/13", None),
        ("13/31", None),
        ("1968-13-01", None),
        ("1968-10-32", None),
        ("1968-00-10", None),
        ("1968-10-00", None),
        ("31/10-1968", None),
        ("31/10/68", None),
        ("October 31", None),
    ],
)
def test_a_date_in_figures_is_read_only_when_it_reads_one_way(typed, date):
    assert parse_numeric_date(typed) == date
