"""The typed-answer grader's figures on the grading table of tests/test_grading.py.

    .venv/bin/python -m bench.grading

Accepted-wrong: a row that must be wrong was accepted (as right or as a typo). Rejected-right: a
row that must be accepted was graded wrong. Both targets are 0. Rows accepted in the wrong way
(a typo graded as exactly right, or the other way round) are counted apart.
"""

import os
import sys
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.test_settings")


def figures() -> Counter:
    import django

    django.setup()
    from questions.typed_answers import EXACT, TYPO, judge
    from tests.test_grading import TABLE

    counts: Counter = Counter()
    for typed, accepted, expected, _ in TABLE:
        got = {EXACT: "right", TYPO: "typo", None: "wrong"}[judge(typed, accepted).match]
        counts["rows"] += 1
        if expected == "wrong" and got != "wrong":
            counts["accepted_wrong"] += 1
        elif expected != "wrong" and got == "wrong":
            counts["rejected_right"] += 1
        elif expected != got:
            counts["accepted_the_wrong_way"] += 1
        counts[f"expected_{expected}"] += 1
    return counts


def report_lines(counts: Counter) -> list[str]:
    """The figures as printed, and as README.md quotes them (a test keeps the two the same)."""
    lines = [
        f"grading table: {counts['rows']} rows "
        f"({counts['expected_right']} right, {counts['expected_typo']} typos, "
        f"{counts['expected_wrong']} wrong)"
    ]
    for name in ("accepted_wrong", "rejected_right", "accepted_the_wrong_way"):
        met = counts[name] == 0
        label = name.replace("_", "-")
        lines.append(f"{'met   ' if met else 'MISSED'} {label}: {counts[name]} (target 0)")
    return lines


def main() -> int:
    counts = figures()
    print("\n".join(report_lines(counts)))
    missed = sum(counts[name] != 0 for name in ("accepted_wrong", "rejected_right"))
    return 1 if missed or counts["accepted_the_wrong_way"] else 0


if __name__ == "__main__":
    sys.exit(main())
