"""The grader's figures on the grading table, as README.md quotes them."""

from pathlib import Path

from bench.grading import figures, report_lines

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_quotes_the_figures_the_script_prints_today():
    printed = "\n".join(report_lines(figures()))

    assert f"```text\n{printed}\n```" in README.read_text(encoding="utf-8")


def test_the_grader_accepts_no_wrong_row_and_rejects_no_right_one():
    counts = figures()

    assert (counts["accepted_wrong"], counts["rejected_right"]) == (0, 0)
