"""Numbers and dates as students type them: pure parsing, no ORM, no grading decisions.

The web's number box and the API both hand the typed text to grading, which reads it here, so
the two agree on what is a number: `1968`, `1,968`, `1 968`, `1968.`, `2.5`, `2,5`, `3 days`,
`three`, `twenty-one`, `one hundred and five`. Dates are read as (month, day, year) from
`31 Oct`, `Oct. 31`, `October 31st`, `31st of October`, `October 31, 1968`, `November 1968`,
and in figures when they read one way only: `31/10`, `10/31/1968`, `31.10.1968`, `1968-10-31`
(`3/10` may be March 10 or October 3, so it is not read as a date).
"""

import re
import unicodedata
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_UNITS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}

_MINUS = "-−–"
# Digits grouped in threes by commas, spaces or thin spaces; or plain digits; a decimal part
# after a point, or after a comma that is not followed by exactly three digits.
_NUMBER = re.compile(
    r"(?P<sign>[-−–+]?)\s*"
    r"(?P<number>\d{1,3}(?:(?P<sep>[, \u00a0\u202f'])\d{3})(?:(?P=sep)\d{3})*(?:\.\d+)?"
    r"|\d+(?:[.,]\d+)?|[.,]\d+)"
    r"\.?\s*(?P<unit>%|°[CF]?|[^\W\d_]+(?:\s+[^\W\d_]+)*\.?)?"
)
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{4}")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class TypedNumber:
    value: float
    # What followed the number, lower case without a trailing full stop: "days", "%", "".
    unit: str = ""


@dataclass(frozen=True)
class TypedDate:
    month: int
    day: int | None
    year: int | None


def parse_number(text: str) -> TypedNumber | None:
    """The number in `text`, with any unit after it; None when `text` is not one number."""
    # Invisible format characters (zero-width spaces, direction marks) are dropped, as in text.
    text = "".join(
        char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char) != "Cf"
    ).strip()
    match = _NUMBER.fullmatch(text)
    if match is None:
        return _number_in_words(text)
    digits = match["number"]
    if match["sep"]:
        digits = digits.replace(match["sep"], "")
    value = float(digits.replace(",", "."))
    if match["sign"] and match["sign"] in _MINUS:
        value = -value
    unit = (match["unit"] or "").strip().rstrip(".").casefold()
    return TypedNumber(value, unit)


def _number_in_words(text: str) -> TypedNumber | None:
    """`three`, or `three days`: number words and at most one word of unit after them."""
    value = parse_number_words(text)
    if value is not None:
        return TypedNumber(float(value))
    head, _, unit = text.rpartition(" ")
    number_words = {"and", *_UNITS, *_TENS, *_SCALES}
    is_unit = unit.isalpha() and unit.casefold() not in number_words
    value = parse_number_words(head) if head and is_unit else None
    return None if value is None else TypedNumber(float(value), unit.casefold())


def parse_number_words(text: str) -> int | None:
    """`three`, `twenty-one`, `one hundred and five`, `a thousand` as an int, else None.
    Words must come in the order English says them: `nineteen sixty` is not a number."""
    words = re.sub(r"[-,]", " ", text.casefold()).split()
    total = current = 0
    smallest = 0
    last = None  # the kind of the word before: "a", "unit", "tens", "scale" or "and"
    for word in words:
        if word == "a" and last is None:
            current, last = 1, "a"
        elif word in _UNITS and last in (None, "scale", "and", "tens"):
            if last == "tens" and not 0 < _UNITS[word] < 10:
                return None
            current, last = current + _UNITS[word], "unit"
        elif word in _TENS and last in (None, "scale", "and"):
            current, last = current + _TENS[word], "tens"
        elif word == "hundred" and last in ("unit", "a") and current < 10:
            current, last = current * 100, "scale"
        elif word in _SCALES and word != "hundred" and current:
            # Each of thousand and million at most once, the larger first: "one thousand
            # thousand" is not a number, "one million two thousand" is.
            if total and _SCALES[word] >= smallest:
                return None
            smallest = _SCALES[word]
            total, current, last = total + current * _SCALES[word], 0, "scale"
        elif word == "and" and last == "scale":
            last = "and"
        else:
            return None
    return total + current if last not in (None, "and", "a") else None


def parse_date(tokens: list[str]) -> TypedDate | None:
    """A date from normalized tokens (see grading's normalize): month and day in either order,
    with or without a year after them, or a month and a year; None for anything else."""
    words = [token for token in tokens if token not in ("of", "the")]
    year = None
    if len(words) == 3 and _YEAR.fullmatch(words[2]):
        year = int(words[2])
        words = words[:2]
    if len(words) != 2:
        return None
    if words[0] in MONTHS:
        month_word, other = words
    elif words[1] in MONTHS:
        other, month_word = words
    else:
        return None
    day_match = _DAY.fullmatch(other)
    if day_match and 1 <= int(day_match[1]) <= 31:
        return TypedDate(MONTHS[month_word], int(day_match[1]), year)
    if year is None and words[0] == month_word and _YEAR.fullmatch(other):
        return TypedDate(MONTHS[month_word], None, int(other))
    return None


def parse_numeric_date(text: str) -> TypedDate | None:
    """A date in figures that reads one way only: day and month in either order (one of them
    above 12, or both the same), with a year after them, or year-month-day."""
    text = text.strip().rstrip(".")
    iso = _ISO_DATE.fullmatch(text)
    if iso is not None:
        return _checked_date(int(iso[2]), int(iso[3]), int(iso[1]))
    found = _NUMERIC_DATE.fullmatch(text)
    if found is None:
        return None
    first, second = int(found[1]), int(found[3])
    year = int(found[4]) if found[4] else None
    if first != second and first <= 12 and second <= 12:
        return None
    return _checked_date(second, first, year) if first > 12 else _checked_date(first, second, year)


def _checked_date(month: int, day: int, year: int | None) -> TypedDate | None:
    return TypedDate(month, day, year) if 1 <= month <= 12 and 1 <= day <= 31 else None


def unit_is_asked(unit: str, *, prompt_words: list[str]) -> bool:
    """`3 days` for "how many days…": every word of the unit, singular or plural, is a word of
    the prompt (given normalized); `%` counts as "percent". One-letter words of the prompt (the
    `s` of "Johnson's") ask for no unit."""
    asked = {word.removesuffix("s") for word in prompt_words if len(word) > 1}
    if unit.strip() == "%":
        return "percent" in asked
    words = re.findall(r"[^\W\d_]+", unit.casefold())
    return bool(words) and all(word.removesuffix("s") in asked for word in words)
