"""Names in typed answers: titles, honorifics, initials and people. Pure, no ORM.

Part of the typed-answer rule (see questions.typed_answers): every function here takes
normalized words (lower case, no punctuation; see typed_answers.normalize).

- Articles and neutral honorifics before an answer are dropped (`the NLF`, `Dr. Kissinger`).
- A rank (`President`, `Vice`, `Secretary`, `General`, …) is dropped only before a name: a
  title that is the whole answer, or is followed by `of …`, is the answer (`Vice President`
  is not *President*, `Minister of Defense` is not *Secretary of Defense*).
- A gendered honorific names a person of that gender: `Mrs.`, `Ms.`, `Miss`, `Madame` are
  dropped only when an accepted answer carries one of them (`Mrs. Nixon` is Pat Nixon, not
  *Nixon*); `Mr.` and `Sir` only when none does (`Mr. Harriman` is *Harriman*).
- Initials, with or without dots and spaces, are the accepted words' initials, unless typed in
  lower case as a common word (`to` is not *Tet Offensive*; `US` is *United States*). The
  words of accepted initials are accepted when each is a common English word or a word of the
  question (`National Liberation Front` for *NLF*; `Nonsense Lorem Foo` is not).
- A person's name may gain or lose middle names and initials, and a surname may gain a first
  name; see `same_person`.
"""

import re
from functools import lru_cache

from wordfreq import zipf_frequency

ARTICLES = frozenset(("the", "a", "an"))
NEUTRAL_HONORIFICS = frozenset(("dr", "prof", "professor", "comrade"))
MALE_HONORIFICS = frozenset(("mr", "mister", "sir", "lord", "monsieur"))
FEMALE_HONORIFICS = frozenset(("mrs", "ms", "miss", "madam", "madame", "mme", "lady"))
RANKS = frozenset(
    (
        "president",
        "pres",
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
    )
)
TITLES = ARTICLES | NEUTRAL_HONORIFICS | MALE_HONORIFICS | FEMALE_HONORIFICS | RANKS
# After a title, these words make the title part of the answer (`Secretary of Defense`).
TITLE_CONTINUES = frozenset(("of", "for", "to", "on", "and"))
# Small words left out of initials: National Liberation Front → NLF, Department of State → DS.
INITIALS_SKIP = frozenset(("of", "the", "and", "for", "de", "du", "la", "le"))
# Zipf 3 is a word met about once per million words (see typed_words.COMMON_WORD_ZIPF).
COMMON_WORD_ZIPF = 3.0
# Lower-case letters this common are a word, not initials ("to" 7.4, "us" 6.0; "vc" 3.5).
INITIALS_WORD_ZIPF = 4.0
# A middle name may be dropped unless it is a word this common: "Liberation" (3.9) is not a
# middle name of *National Liberation Front*, nor "Chi" (4.0) of *Ho Chi Minh*; "Baines" (3.0)
# and "Milhous" (1.5) are.
DROPPED_NAME_MAX_ZIPF = 3.5
# A name added before a first name or a bare surname is accepted unless it is a word this
# common ("whatever" 5.1, "north" 5.5, "the" 7.7; "William" 4.9, "Richard" 4.8, "Clark" 4.4).
GIVEN_NAME_MAX_ZIPF = 5.0


@lru_cache(maxsize=8192)
def zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def female_key(accepted_words: list[list[str]]) -> bool:
    """Whether an accepted answer names its person with a female honorific."""
    return any(FEMALE_HONORIFICS.intersection(words) for words in accepted_words)


def without_titles(words: list[str], *, female: bool) -> list[str]:
    """`words` without the articles, titles and honorifics before the answer (see above)."""
    start = 0
    while start < len(words) - 1 and _droppable(words[start], female=female):
        start += 1
    rest = words[start:]
    if start and (rest[0] in TITLE_CONTINUES or all(word in RANKS for word in rest)):
        # The titles are the answer, or a part of it: keep the articles' removal only.
        start = 0
        while start < len(words) - 1 and words[start] in ARTICLES:
            start += 1
        return words[start:]
    return rest


def _droppable(word: str, *, female: bool) -> bool:
    if word in ARTICLES or word in NEUTRAL_HONORIFICS or word in RANKS:
        return True
    return word in (FEMALE_HONORIFICS if female else MALE_HONORIFICS)


def are_initials(letters: list[str], words: list[str], *, typed_lower: bool = False) -> bool:
    """`letters` spell the initials of `words` (`N L F`, `NLF` for National Liberation Front),
    or both are the same letters spaced differently (`L B J` and `LBJ`). Typed in lower case
    as one common word (`to`, `us`), letters are that word, not initials."""
    joined = "".join(letters)
    if len(joined) < 2 or not joined.isalpha():
        return False
    if len(letters) > 1 and any(len(letter) != 1 for letter in letters):
        return False
    if typed_lower and len(letters) == 1 and zipf(joined) >= INITIALS_WORD_ZIPF:
        return False
    if len(words) == 1:
        return len(letters) > 1 and words[0] == joined  # `L B J` for *LBJ*
    # One letter per word, the small words left out (one word's initial is too short to match).
    return "".join(word[0] for word in words if word not in INITIALS_SKIP) == joined


def spells_out(words: list[str], initials: str, vocabulary) -> bool:
    """`words` are words whose initials are the accepted `initials`, each a common English
    word or a word of the question (`national liberation front` for NLF)."""
    return are_initials([initials], words) and all(
        word in vocabulary or zipf(word) >= COMMON_WORD_ZIPF for word in words
    )


def looks_like_a_name(text: str) -> bool:
    """Capitalised words, none an acronym when there is only one: a person's name, which may
    gain or lose middle names (two words or more) or gain a first name (one word)."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) == 1:
        return words[0][0].isupper() and not words[0].isupper()
    return len(words) >= 2 and all(word[0].isupper() for word in words)


def same_person(words: list[str], wanted: list[str], known: list[list[str]], vocabulary) -> bool:
    """`words` name the person `wanted` names, with the same surname:
    - a first name given as its initial, middle names or initials dropped (`L. Johnson`,
      `George Herring` for *George C. Herring*), but not a common word (`National Front` is
      not *National Liberation Front*);
    - middle names added when an accepted answer gives them or their initial (`Lyndon Baines
      Johnson` beside *Lyndon B. Johnson*), or middle initials when none gives another one; a
      full middle name no answer gives cannot be checked, so it leans to wrong (`Richard
      Johnson Nixon`);
    - one given name added before the first name or a bare surname (`William Averell
      Harriman`, `Richard Nixon` for *Nixon*), unless it is a common word or a word of the
      question, or another accepted answer gives the person's first name (`Andrew Johnson` is
      not *Johnson* beside *Lyndon Johnson*).
    `known` is every accepted name (normalized words, titles dropped)."""
    if len(words) < 2 or words[-1] != wanted[-1]:
        return False
    names, surname = words[:-1], wanted[-1]
    fuller = [name[:-1] for name in known if len(name) > 1 and name[-1] == surname]
    if len(wanted) == 1:
        if fuller:
            return False  # a fuller accepted answer decides
        first, *middles = names
        return _may_be_given_name(first, vocabulary) and all(len(name) == 1 for name in middles)
    first = wanted[0]
    at = next((i for i, name in enumerate(names) if _same_name(name, first)), None)
    if at is None or at > 1:
        return False
    if at == 1 and not _may_be_given_name(names[0], vocabulary):
        return False
    middles_known = [
        middle for other in fuller if _same_name(other[0], first) for middle in other[1:]
    ]
    for middle in names[at + 1 :]:
        if any(_same_name(middle, known_middle) for known_middle in middles_known):
            continue
        if middles_known or len(middle) > 1:
            return False
    typed_middles = names[at + 1 :]
    dropped = [
        middle
        for middle in wanted[1:-1]
        if not any(_same_name(name, middle) for name in typed_middles)
    ]
    return all(len(middle) == 1 or zipf(middle) < DROPPED_NAME_MAX_ZIPF for middle in dropped)


def _may_be_given_name(word: str, vocabulary) -> bool:
    if len(word) == 1:
        return word.isalpha()
    return (
        word.isalpha()
        and word not in TITLES
        and word not in vocabulary
        and zipf(word) < GIVEN_NAME_MAX_ZIPF
    )


def _same_name(typed: str, wanted: str) -> bool:
    return typed == wanted or (typed[0] == wanted[0] and 1 in (len(typed), len(wanted)))
