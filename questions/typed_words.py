"""One typed word against one accepted word: typo, other form, or a different word. Pure.

Part of the typed-answer rule (see questions.typed_answers); words are normalized.

- Never a typo: a word with a digit; a negating prefix added or removed (`un-`, `non-`,
  `in-`/`im-`/`il-`/`ir-`, `dis-`, `anti-`, `de-`, and the privative `a-`: `amoral` is not
  *moral*, `militarized` is not *demilitarized*); a word of `SHORT_WORD` letters or fewer;
  another word of the question or a common English word (wordfreq Zipf ≥ `COMMON_WORD_ZIPF`).
- Forgiven, rated Hard like a typo: the singular for the plural or the other way round
  (`withdrawal`, *withdrawals*; not in short words, nor in names: `Nixons`), a British spelling for an American one or the other way round
  (`defence`, `colour`, `centre`, `demilitarised`, `travelled`), and up to one edit (a swap of
  two letters is one) in words up to `MEDIUM_WORD` letters, two in longer ones.
"""

import re

from rapidfuzz.distance import OSA

from questions.typed_names import zipf

SHORT_WORD = 4
MEDIUM_WORD = 8
# Zipf 3 is a word met about once per million words: "Parish" 4.1, "Dixon" 3.7, "conditional"
# 3.6; misspellings such as "withdrawl" (1.8) and "victroy" (0) stay below it.
COMMON_WORD_ZIPF = 3.0
NEGATING_PREFIXES = ("anti", "non", "dis", "de", "un", "in", "im", "il", "ir", "a")
NEGATING_WORDS = frozenset(("not", "no", "never", "non", "nor", "neither", "without"))

DIFFERENT_NUMBER = "wrong: a different number"
NEGATED = "wrong: the opposite meaning (“{given}” for “{expected}”)"
SHORT_WORD_DIFFERS = "wrong: “{given}” is not “{expected}” (short words must be exact)"
OWN_WORD = "wrong: “{given}” is a different word, not a misspelling of “{expected}”"
TOO_FAR = "wrong: “{given}” is too far from “{expected}” to be a typo"

# British endings and their American forms (applied to both words before comparing them).
_BRITISH = [
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"(?<=..)our(s?)$"), r"or\1"),
    (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"([^aeiou])re(s?)$"), r"\1er\2"),
    (re.compile(r"ogue(s?)$"), r"og\1"),
    # Doubled after an unstressed last syllable: travelled, cancelled (not filled, called).
    (re.compile(r"([aeiou][^aeiou]+[aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"),
]


def is_negation_of(typed: str, wanted: str) -> bool:
    """One word is the other with a negating prefix added or removed, or nearly so
    (`conditionally`/`unconditionally`, `nconditional`/`unconditional`); the one-letter
    privative `a-` only exactly (`amoral`/`moral`)."""
    for prefix in NEGATING_PREFIXES:
        for longer, shorter in ((typed, wanted), (wanted, typed)):
            if longer == prefix + shorter:
                return True
            if (
                len(prefix) > 1
                and longer.startswith(prefix)
                and not shorter.startswith(prefix)
                and OSA.distance(longer[len(prefix) :], shorter, score_cutoff=2) <= 1
            ):
                return True
    return False


def other_form(typed: str, wanted: str) -> bool:
    """The singular for the plural (or back), or a British spelling for an American one
    (called for words longer than `SHORT_WORD` only)."""
    for longer, shorter in ((typed, wanted), (wanted, typed)):
        if longer in (shorter + "s", shorter + "es") or (
            shorter.endswith("y") and longer == shorter[:-1] + "ies"
        ):
            return True
    return _american(typed) == _american(wanted)


def _american(word: str) -> str:
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def word_is_wrong(typed: str, wanted: str, vocabulary, *, proper: bool) -> str:
    """Why `typed` is not a typo or other form of `wanted`, or "" when it is one. A proper
    name (`proper`) has no other forms: `Nixons` is not *Nixon*."""
    details = {"given": typed, "expected": wanted}
    if any(char.isdigit() for char in typed + wanted):
        return DIFFERENT_NUMBER
    if is_negation_of(typed, wanted):
        return NEGATED.format(**details)
    if len(wanted) <= SHORT_WORD or len(typed) <= SHORT_WORD:
        return SHORT_WORD_DIFFERS.format(**details)
    if not proper and other_form(typed, wanted):
        return ""
    if typed in vocabulary or zipf(typed) >= COMMON_WORD_ZIPF:
        return OWN_WORD.format(**details)
    allowance = 1 if len(wanted) <= MEDIUM_WORD else 2
    if OSA.distance(typed, wanted, score_cutoff=allowance + 1) > allowance:
        return TOO_FAR.format(**details)
    return ""
