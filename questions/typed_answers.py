"""Is a typed answer one of the accepted texts? Pure, no ORM; grading's one text rule.

Both texts are normalized first (case, diacritics, punctuation and spaces do not count). Then:

Accepted as the same answer (rated as right):
- the same date however written (`31 Oct`, `Oct. 31`, `October 31st, 1968`);
- the accepted answer after leading articles, titles and honorifics (`the NLF`, `Mr. Harriman`);
- a name given surname first (`Harriman, Averell`);
- the same initials, with or without dots and spaces (`N.L.F.`, `L B J`), or the initials of
  the accepted words (`NLF` for *National Liberation Front*) and the other way round;
- a person's name with middle names or initials added or left out (`Lyndon Baines Johnson`);
- an answer followed by a restatement in brackets when both say the same thing
  (`National Liberation Front (NLF)`).

Forgiven as a typo (rated Hard) only word by word, where the typed word is not a word itself:
- never a word with a digit (`1986` is not `1968`), nor a different date;
- never adding or removing a negating prefix (`un-`, `non-`, `in-`, `im-`, `il-`, `ir-`, `dis-`,
  `anti-`) or word (`not`, `no`, `never`);
- never in words of `SHORT_WORD` letters or fewer; at most one edit (a swap of two letters is
  one) in words up to `MEDIUM_WORD` letters, two in longer ones;
- never when the typed word is another word of the question (its prompt, choices or answers) or
  a common English word (wordfreq's Zipf frequency at least `COMMON_WORD_ZIPF`): `Dixon` and
  `Parish` are words of their own, not misspellings of *Nixon* and *Paris*.
Anything else is wrong: what cannot be decided leans to wrong, and the student may claim.

An accepted text with `WILDCARD` in it (Moodle's short-answer wildcard) accepts any text in its
place (`Fr*g` accepts "frog"), without typos and without the rules above.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from questions.answer_values import TypedDate, parse_date

EXACT, TYPO = "exact", "typo"
WILDCARD = "*"
SHORT_WORD = 4
MEDIUM_WORD = 8
# Zipf 3 is a word met about once per million words: "Parish" 4.1, "Dixon" 3.7, "conditional"
# 3.6; misspellings such as "withdrawl" (1.8) and "victroy" (0) stay below it.
COMMON_WORD_ZIPF = 3.0
# A middle name is accepted unless it is a word this common ("whatever" 5.1, "the" 7.7;
# "William" 4.9, "Baines" 3.0).
MIDDLE_NAME_MAX_ZIPF = 5.0

ARTICLES_AND_TITLES = frozenset(
    [
        "the",
        "a",
        "an",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "madam",
        "president",
        "vice",
        "secretary",
        "general",
        "gen",
        "ambassador",
        "amb",
        "senator",
        "sen",
        "governor",
        "gov",
        "premier",
        "prime",
        "minister",
        "chairman",
        "comrade",
        "professor",
        "prof",
    ]
)
NEGATING_PREFIXES = ("anti", "non", "dis", "un", "in", "im", "il", "ir")
NEGATING_WORDS = frozenset(("not", "no", "never", "non", "nor", "neither", "without"))
# Small words left out of initials: National Liberation Front → NLF, Department of State → DS.
INITIALS_SKIP = frozenset(("of", "the", "and", "for", "de", "du", "la", "le"))

NOTHING_TYPED = "wrong: nothing typed"
SAME = "right"
SAME_DATE = "accepted: the same date"
SAME_INITIALS = "accepted: the same initials"
WITH_TITLE = "accepted: the answer with an article or title"
SURNAME_FIRST = "accepted: the name given surname first"
WITH_MIDDLE_NAMES = "accepted: the name with or without middle names"
WITH_RESTATEMENT = "accepted: the answer with a restatement in brackets"
SPACING = "accepted: spacing of “{expected}”"
SPELLING = "accepted: spelling of “{expected}”"
DIFFERENT_DATE = "wrong: a different date"
DATE_YEAR_NOT_GIVEN = "wrong: a year the answer does not give"
DIFFERENT_NUMBER = "wrong: a different number"
NEGATED = "wrong: the opposite meaning (“{given}” for “{expected}”)"
NEGATION_WORD = "wrong: a negation changes the meaning"
SHORT_WORD_DIFFERS = "wrong: “{given}” is not “{expected}” (short words must be exact)"
OWN_WORD = "wrong: “{given}” is a different word, not a misspelling of “{expected}”"
TOO_FAR = "wrong: “{given}” is too far from “{expected}” to be a typo"
DIFFERENT_ANSWER = "wrong: a different answer"
BRACKETS_DIFFER = "wrong: the part in brackets is a different answer"


@dataclass(frozen=True)
class TextVerdict:
    match: str | None  # EXACT, TYPO or None (wrong)
    reason: str

    @property
    def accepted(self) -> bool:
        return self.match is not None


# Letters that Unicode does not decompose into a base letter and a diacritic.
_BASE_LETTERS = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ħ": "h", "ı": "i"})


def normalize(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, single spaces, no spaces at the ends."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PSZ" else char)
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
    if not normalize(given) or not accepted:
        return TextVerdict(None, NOTHING_TYPED if not normalize(given) else DIFFERENT_ANSWER)
    dated = _judge_date(given, accepted)
    if dated is not None:
        return dated
    bracketed = _judge_brackets(given, accepted, frozenset(vocabulary))
    if bracketed is not None:
        return bracketed
    verdicts = [_versus(given, text, frozenset(vocabulary)) for text in accepted]
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


def _judge_date(given: str, accepted: list[str]) -> TextVerdict | None:
    dates = [date for date in (parse_date(normalize(text).split()) for text in accepted) if date]
    typed = parse_date(normalize(given).split())
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


def _judge_brackets(given: str, accepted: list[str], vocabulary) -> TextVerdict | None:
    """`outer (inner)` or `outer, inner`: right when both parts are right, or one is right and
    the other is its initials. With brackets, a right part beside a different one is wrong;
    with a comma (which may be a name given surname first) it is left to the other rules."""
    found = re.fullmatch(r"([^()]*)\(([^()]*)\)([^()]*)", given)
    if found is not None:
        outer, inner = f"{found[1]} {found[3]}", found[2]
    elif given.count(",") == 1:
        outer, inner = given.split(",")
    else:
        return None
    if not normalize(outer) or not normalize(inner):
        return None
    verdicts = [judge(part, accepted, vocabulary=vocabulary) for part in (outer, inner)]
    if not any(verdict.accepted for verdict in verdicts):
        return None
    # A part may be the initials of the other part, when that other part is an accepted answer
    # (an expansion of accepted initials cannot be checked, so it is not enough).
    outer_words, inner_words = normalize(outer).split(), normalize(inner).split()
    restated = (
        all(verdict.accepted for verdict in verdicts)
        or (verdicts[0].accepted and _are_initials(inner_words, outer_words))
        or (verdicts[1].accepted and _are_initials(outer_words, inner_words))
    )
    if restated:
        typos = [verdict.reason for verdict in verdicts if verdict.match == TYPO]
        return TextVerdict(TYPO, typos[0]) if typos else TextVerdict(EXACT, WITH_RESTATEMENT)
    return TextVerdict(None, BRACKETS_DIFFER) if found is not None else None


def _readings(text: str) -> list[tuple[list[str], str]]:
    """The ways to read a typed text, each with the reason it is accepted if it matches."""
    tokens = normalize(text).split()
    readings = [(tokens, SAME)]
    parts = [part for part in text.split(",")]
    if len(parts) == 2 and normalize(parts[0]) and normalize(parts[1]):
        swapped = normalize(parts[1]).split() + normalize(parts[0]).split()
        readings.append((swapped, SURNAME_FIRST))
    stripped = [(_without_titles(words), reason) for words, reason in readings]
    readings += [(words, WITH_TITLE if reason == SAME else reason) for words, reason in stripped]
    return [(words, reason) for words, reason in readings if words]


def _without_titles(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) - 1 and words[start] in ARTICLES_AND_TITLES:
        start += 1
    return words[start:]


def _versus(given: str, accepted: str, vocabulary: frozenset[str]) -> TextVerdict:
    """`given` against one accepted text."""
    expected = _without_titles(normalize(accepted).split())
    is_name = _looks_like_a_name(accepted)
    wrong = None
    for words, reason in _readings(given):
        if words == expected:
            return TextVerdict(EXACT, reason)
        if _are_initials(words, expected):
            return TextVerdict(EXACT, SAME_INITIALS)
        if is_name and _same_person(words, expected):
            return TextVerdict(EXACT, WITH_MIDDLE_NAMES)
        verdict = _typo_verdict(words, expected, vocabulary - set(expected), accepted)
        if verdict.accepted:
            return verdict
        if wrong is None or wrong.reason == DIFFERENT_ANSWER:
            wrong = verdict
    return wrong


def _are_initials(letters: list[str], words: list[str]) -> bool:
    """`letters` spell the initials of `words` (`N L F`, `NLF` for National Liberation Front),
    or both are the same letters spaced differently (`L B J` and `LBJ`)."""
    joined = "".join(letters)
    if len(joined) < 2 or not joined.isalpha():
        return False
    if len(letters) > 1 and any(len(letter) != 1 for letter in letters):
        return False
    if "".join(words) == joined and (len(words) > 1 or len(letters) > 1):
        return all(len(word) == 1 for word in words) or len(words) == 1
    significant = [word for word in words if word not in INITIALS_SKIP]
    return len(significant) > 1 and "".join(word[0] for word in significant) == joined


def _looks_like_a_name(text: str) -> bool:
    """Two or more words, each capitalised: a person's name may gain or lose middle names."""
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) >= 2 and all(word[0].isupper() for word in words)


def _same_person(words: list[str], expected: list[str]) -> bool:
    """The same surname and first name, with middle names or initials added, dropped or
    abbreviated (`Lyndon Baines Johnson`, `W. Averell Harriman` for *Averell Harriman*)."""
    if len(words) < 2 or len(expected) < 2 or words[-1] != expected[-1]:
        return False
    names, wanted = words[:-1], expected[:-1]
    at = 0
    extra = False
    for name in names:
        if at < len(wanted) and _same_name(name, wanted[at]):
            at += 1
        elif len(name) > 1 and _zipf(name) >= MIDDLE_NAME_MAX_ZIPF:
            return False
        else:
            extra = True
    # The first name was found, and what is missing of the accepted names is middle names;
    # names are added only to an accepted answer that gives none (`Lyndon X Johnson` is not
    # *Lyndon Baines Johnson*).
    return at > 0 and not (extra and len(wanted) > 1)


def _same_name(typed: str, wanted: str) -> bool:
    return typed == wanted or (typed[0] == wanted[0] and 1 in (len(typed), len(wanted)))


def _typo_verdict(words: list[str], expected: list[str], vocabulary, shown: str) -> TextVerdict:
    if NEGATING_WORDS.intersection(set(words) ^ set(expected)):
        return TextVerdict(None, NEGATION_WORD)
    if len(words) != len(expected):
        if "".join(words) == "".join(expected):
            return TextVerdict(TYPO, SPACING.format(expected=shown.strip()))
        return TextVerdict(None, DIFFERENT_ANSWER)
    for typed, wanted in zip(words, expected, strict=True):
        reason = _word_is_wrong(typed, wanted, vocabulary) if typed != wanted else ""
        if reason:
            return TextVerdict(None, reason)
    return TextVerdict(TYPO, SPELLING.format(expected=shown.strip()))


def _word_is_wrong(typed: str, wanted: str, vocabulary) -> str:
    """Why `typed` is not a typo of `wanted`, or "" when it is one."""
    details = {"given": typed, "expected": wanted}
    if any(char.isdigit() for char in typed + wanted):
        return DIFFERENT_NUMBER
    if is_negation_of(typed, wanted):
        return NEGATED.format(**details)
    if len(wanted) <= SHORT_WORD or len(typed) <= SHORT_WORD:
        return SHORT_WORD_DIFFERS.format(**details)
    if typed in vocabulary or _zipf(typed) >= COMMON_WORD_ZIPF:
        return OWN_WORD.format(**details)
    allowance = 1 if len(wanted) <= MEDIUM_WORD else 2
    if OSA.distance(typed, wanted, score_cutoff=allowance + 1) > allowance:
        return TOO_FAR.format(**details)
    return ""


def is_negation_of(typed: str, wanted: str) -> bool:
    """One word is the other with a negating prefix added or removed, or nearly so
    (`conditionally`/`unconditionally`, `nconditional`/`unconditional`)."""
    for prefix in NEGATING_PREFIXES:
        for longer, shorter in ((typed, wanted), (wanted, typed)):
            if longer == prefix + shorter:
                return True
            if (
                longer.startswith(prefix)
                and not shorter.startswith(prefix)
                and OSA.distance(longer[len(prefix) :], shorter, score_cutoff=2) <= 1
            ):
                return True
    return False


@lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")
