"""Is a typed answer one of the accepted texts? Pure, no ORM; grading's one text rule.

Both texts are normalized first (case, diacritics, punctuation and spaces do not count). Then:

Accepted as the same answer (rated as right):
- the same date however written (`31 Oct`, `Oct. 31`, `October 31st, 1968`, `31/10`,
  `1968-10-31`; a numeric date that reads two ways, `3/10`, is not read as a date);
- the accepted answer after leading articles, titles and honorifics (`the NLF`, `Mr. Harriman`),
  as questions.typed_names says (a title that is the answer is not dropped: `Vice President`);
- a name given surname first (`Harriman, Averell`);
- the same initials, with or without dots and spaces (`N.L.F.`, `L B J`), or the initials of
  the accepted words (`NLF` for *National Liberation Front*) and the other way round;
- a person's name with middle names or initials added or left out (`Lyndon Baines Johnson`),
  or a first name added to a bare surname (`Richard Nixon` for *Nixon*): typed_names.same_person;
- an answer followed by a restatement in brackets when both say the same thing
  (`National Liberation Front (NLF)`);
- a number with its thousands grouped (`1,968` for *1968*; `19,68` is another number).
Text is compared without invisible format characters (zero-width spaces, soft hyphens).

Forgiven as a typo (rated Hard) only word by word, where the typed word is not a word itself:
- never a word with a digit (`1986` is not `1968`), nor a different date;
- never adding or removing a negating prefix (`un-`, `non-`, `in-`, `im-`, `il-`, `ir-`, `dis-`,
  `anti-`, `de-`, `a-`) or word (`not`, `no`, `never`);
- never in words of `SHORT_WORD` letters or fewer; at most one edit (a swap of two letters is
  one) in words up to `MEDIUM_WORD` letters, two in longer ones;
- never when the typed word is another word of the question (its prompt, choices or answers) or
  a common English word (wordfreq's Zipf frequency at least `COMMON_WORD_ZIPF`): `Dixon` and
  `Parish` are words of their own, not misspellings of *Nixon* and *Paris*; but the singular or
  plural, and British spelling, of an accepted word are forgiven (questions.typed_words).
Anything else is wrong: what cannot be decided leans to wrong, and the student may claim.

An accepted text with `WILDCARD` in it (Moodle's short-answer wildcard) accepts any text in its
place (`Fr*g` accepts "frog"), without typos and without the rules above.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import OSA

from questions.answer_values import TypedDate, parse_date, parse_numeric_date
from questions.typed_names import (
    are_initials,
    female_key,
    looks_like_a_name,
    same_person,
    spells_out,
    without_titles,
)
from questions.typed_words import (
    DIFFERENT_NUMBER,
    MEDIUM_WORD,
    NEGATING_PREFIXES,
    NEGATING_WORDS,
    SHORT_WORD,
    is_negation_of,
    other_form,
    word_is_wrong,
)

__all__ = [
    "EXACT",
    "MEDIUM_WORD",
    "NEGATING_PREFIXES",
    "NEGATING_WORDS",
    "SHORT_WORD",
    "TYPO",
    "TextVerdict",
    "is_negation_of",
    "judge",
    "normalize",
    "vocabulary_of",
]

EXACT, TYPO = "exact", "typo"
WILDCARD = "*"

NOTHING_TYPED = "wrong: nothing typed"
SAME = "right"
SAME_DATE = "accepted: the same date"
SAME_NUMBER = "accepted: the same number"
SAME_INITIALS = "accepted: the same initials"
SPELLED_OUT = "accepted: the words of the initials"
WITH_TITLE = "accepted: the answer with an article or title"
SURNAME_FIRST = "accepted: the name given surname first"
WITH_MIDDLE_NAMES = "accepted: the name with or without middle names"
WITH_FIRST_NAME = "accepted: the surname with a first name"
OTHER_FORM = "accepted: another form of “{expected}” (singular or plural, or spelling)"
WITH_RESTATEMENT = "accepted: the answer with a restatement in brackets"
HYPHENATION = "accepted: the same words, hyphenated or not"
SPACING = "accepted: spacing of “{expected}”"
SPELLING = "accepted: spelling of “{expected}”"
DIFFERENT_DATE = "wrong: a different date"
DATE_YEAR_NOT_GIVEN = "wrong: a year the answer does not give"
NEGATION_WORD = "wrong: a negation changes the meaning"
DIFFERENT_ANSWER = "wrong: a different answer"
BRACKETS_DIFFER = "wrong: the part in brackets is a different answer"


_DIGIT_COMMA = re.compile(r"\d,\d")


@dataclass(frozen=True)
class TextVerdict:
    match: str | None  # EXACT, TYPO or None (wrong)
    reason: str

    @property
    def accepted(self) -> bool:
        return self.match is not None


@dataclass(frozen=True)
class _Key:
    """What every comparison needs to know about the accepted texts and the question."""

    vocabulary: frozenset[str]
    # The words of the question that are not words of an accepted answer.
    others: frozenset[str]
    female: bool
    people: tuple[tuple[str, ...], ...]


# Letters that Unicode does not decompose into a base letter and a diacritic.
_BASE_LETTERS = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ħ": "h", "ı": "i"})


def normalize(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, single spaces, no spaces at the ends;
    invisible format characters (zero-width spaces, soft hyphens, byte-order marks) dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category in ("Mn", "Cf"):
            continue
        kept.append(" " if category[0] in "PSZC" else char)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The normalized words of a question (prompt, choices, answers): none of them is a typo."""
    return frozenset(word for text in texts for word in normalize(text).split())


def judge(given: str, accepted: Iterable[str], *, vocabulary: Iterable[str] = ()) -> TextVerdict:
    """How `given` compares with the accepted texts: the best verdict over all of them."""
    accepted = list(accepted)
    given_norm = normalize(given)
    if given_norm and any(
        _wildcard_match(given_norm, text) for text in accepted if WILDCARD in text
    ):
        return TextVerdict(EXACT, SAME)
    accepted = [text for text in accepted if WILDCARD not in text and normalize(text)]
    if not given_norm or not accepted:
        return TextVerdict(None, NOTHING_TYPED if not given_norm else DIFFERENT_ANSWER)
    return _judge(given, accepted, _key_of(accepted, vocabulary))


def _key_of(accepted: list[str], vocabulary: Iterable[str]) -> _Key:
    words = [normalize(text).split() for text in accepted]
    female = female_key(words)
    people = tuple(
        tuple(without_titles(names, female=female))
        for names, text in zip(words, accepted, strict=True)
        if looks_like_a_name(text)
    )
    vocabulary = frozenset(vocabulary)
    others = vocabulary.difference(*words)
    return _Key(vocabulary, others, female, people)


def _judge(given: str, accepted: list[str], key: _Key) -> TextVerdict:
    dated = _judge_date(given, accepted)
    if dated is not None:
        return dated
    bracketed = _judge_brackets(given, accepted, key)
    if bracketed is not None:
        return bracketed
    verdicts = [_versus(given, text, key) for text in accepted]
    for wanted in (EXACT, TYPO):
        for verdict in verdicts:
            if verdict.match == wanted:
                return verdict
    # Wrong: explain against the accepted text the answer comes closest to.
    closest = min(
        range(len(accepted)), key=lambda i: OSA.distance(normalize(given), normalize(accepted[i]))
    )
    return verdicts[closest]


def _wildcard_match(given_norm: str, pattern: str) -> bool:
    """Moodle's short-answer wildcard: `*` stands for any text (`Fr*g` accepts "frog")."""
    pieces = [re.escape(normalize(piece)) for piece in pattern.split(WILDCARD)]
    return re.fullmatch(r"\s*.*?\s*".join(pieces), given_norm) is not None


def _date_of(text: str) -> TypedDate | None:
    return parse_date(normalize(text).split()) or parse_numeric_date(text)


def _judge_date(given: str, accepted: list[str]) -> TextVerdict | None:
    dates = [date for date in map(_date_of, accepted) if date]
    typed = _date_of(given)
    if not dates or typed is None:
        return None
    if not any(_same_day(typed, date) for date in dates):
        return TextVerdict(None, DIFFERENT_DATE)
    years = {date.year for date in dates if date.year is not None}
    if typed.year is not None and typed.year not in years:
        return TextVerdict(None, DIFFERENT_DATE if years else DATE_YEAR_NOT_GIVEN)
    return TextVerdict(EXACT, SAME_DATE)


def _same_day(typed: TypedDate, date: TypedDate) -> bool:
    return typed.month == date.month and typed.day == date.day


def _judge_brackets(given: str, accepted: list[str], key: _Key) -> TextVerdict | None:
    """`outer (inner)` or `outer, inner`: right when both parts are right, or one is right and
    the other is its initials. With brackets, a right part beside a different one is wrong;
    with a comma (which may be a name given surname first) it is left to the other rules."""
    found = re.fullmatch(r"([^()]*)\(([^()]*)\)([^()]*)", given)
    if found is not None:
        outer, inner = f"{found[1]} {found[3]}", found[2]
    elif given.count(",") == 1 and not _DIGIT_COMMA.search(given):
        outer, inner = given.split(",")
    else:
        return None
    if not normalize(outer) or not normalize(inner):
        return None
    verdicts = [_judge(part, accepted, key) for part in (outer, inner)]
    if not any(verdict.accepted for verdict in verdicts):
        return None
    # A part may be the initials of the other part, when that other part is an accepted answer
    # (an expansion of accepted initials cannot be checked, so it is not enough).
    outer_words, inner_words = normalize(outer).split(), normalize(inner).split()
    restated = (
        all(verdict.accepted for verdict in verdicts)
        or (verdicts[0].accepted and are_initials(inner_words, outer_words))
        or (verdicts[1].accepted and are_initials(outer_words, inner_words))
    )
    if restated:
        typos = [verdict.reason for verdict in verdicts if verdict.match == TYPO]
        return TextVerdict(TYPO, typos[0]) if typos else TextVerdict(EXACT, WITH_RESTATEMENT)
    return TextVerdict(None, BRACKETS_DIFFER) if found is not None else None


def _readings(text: str, *, female: bool) -> list[tuple[list[str], str]]:
    """The ways to read a typed text, each with the reason it is accepted if it matches."""
    tokens = normalize(text).split()
    readings = [(tokens, SAME)]
    parts = [part for part in text.split(",")]
    if len(parts) == 2 and normalize(parts[0]) and normalize(parts[1]):
        swapped = normalize(parts[1]).split() + normalize(parts[0]).split()
        readings.append((swapped, SURNAME_FIRST))
    stripped = [(without_titles(words, female=female), reason) for words, reason in readings]
    readings += [(words, WITH_TITLE if reason == SAME else reason) for words, reason in stripped]
    return [(words, reason) for words, reason in readings if words]


def _versus(given: str, accepted: str, key: _Key) -> TextVerdict:
    """`given` against one accepted text."""
    expected = without_titles(normalize(accepted).split(), female=key.female)
    is_name = looks_like_a_name(accepted)
    typed_lower = not any(char.isupper() for char in given)
    initials = accepted.strip().isupper() and len(expected) == 1
    hyphened = "-" in given + accepted and normalize(given) != normalize(accepted)
    if hyphened and _unhyphenated(given) and _unhyphenated(given) == _unhyphenated(accepted):
        return TextVerdict(EXACT, HYPHENATION)
    wrong = None
    for words, reason in _readings(given, female=key.female):
        if words == expected:
            return TextVerdict(EXACT, reason)
        if are_initials(words, expected, typed_lower=typed_lower):
            return TextVerdict(EXACT, SAME_INITIALS)
        if initials and spells_out(words, expected[0], key.vocabulary):
            return TextVerdict(EXACT, SPELLED_OUT)
        if is_name and same_person(words, expected, key.people, key.others):
            return TextVerdict(EXACT, WITH_FIRST_NAME if len(expected) == 1 else WITH_MIDDLE_NAMES)
        vocabulary = key.vocabulary - set(expected)
        verdict = _typo_verdict(words, expected, vocabulary, accepted, proper=is_name)
        if verdict.accepted:
            return verdict
        if wrong is None or wrong.reason == DIFFERENT_ANSWER:
            wrong = verdict
    return wrong


def _typo_verdict(
    words: list[str], expected: list[str], vocabulary, shown: str, *, proper: bool
) -> TextVerdict:
    spaced = len(words) != len(expected) and "".join(words) == "".join(expected)
    if not spaced and NEGATING_WORDS.intersection(set(words) ^ set(expected)):
        return TextVerdict(None, NEGATION_WORD)
    if len(words) != len(expected):
        if not spaced:
            return TextVerdict(None, DIFFERENT_ANSWER)
        grouped = _digits_grouped(max(words, expected, key=len))
        if grouped is None:
            return TextVerdict(TYPO, SPACING.format(expected=shown.strip()))
        return TextVerdict(EXACT, SAME_NUMBER) if grouped else TextVerdict(None, DIFFERENT_NUMBER)
    forms = True
    for typed, wanted in zip(words, expected, strict=True):
        reason = word_is_wrong(typed, wanted, vocabulary, proper=proper) if typed != wanted else ""
        if reason:
            return TextVerdict(None, reason)
        forms = forms and (typed == wanted or (not proper and other_form(typed, wanted)))
    return TextVerdict(TYPO, (OTHER_FORM if forms else SPELLING).format(expected=shown.strip()))


def _unhyphenated(text: str) -> str:
    """The text with hyphens removed, when it has no digits (`19-68` is not *1968*)."""
    return "" if any(char.isdigit() for char in text) else normalize(re.sub(r"[-‐‑]", "", text))


def _digits_grouped(words: list[str]) -> bool | None:
    """Where `words` split digits apart: True when only into thousands (`1 968`), False when
    otherwise (`19 68`, another number), None when no digits are split."""
    splits = [
        (left, right)
        for left, right in pairwise(words)
        if left[-1].isdigit() and right[0].isdigit()
    ]
    if not splits:
        return None
    return all(
        re.fullmatch(r"\d{1,3}", left) and re.fullmatch(r"\d{3}", right) for left, right in splits
    )
