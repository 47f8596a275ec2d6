import json
import math
from datetime import UTC, datetime

import pytest

from bench.load import LoadResult, Step
from bench.report import check_targets, format_table, load_summary, percentile, write_json


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([1.0, 2.0, 3.0], 0.5, 2.0),
        ([3.0, 1.0, 2.0, 4.0], 0.5, 2.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0.0, 1.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 1.0, 5.0),
        (list(range(1, 101)), 0.99, 99.01),
    ],
)
def test_percentile_interpolates_between_ranks(values, fraction, expected):
    assert percentile(values, fraction) == pytest.approx(expected)


def test_percentile_of_nothing_is_not_a_number():
    assert math.isnan(percentile([], 0.5))


def test_load_summary_counts_only_answered_steps_and_keeps_errors():
    result = LoadResult(
        elapsed=2.0,
        steps=[
            Step(seconds=0.010, queries=3, transaction_statements=1, answered=True),
            Step(seconds=0.030, queries=5, transaction_statements=1, answered=True),
            Step(seconds=0.001, queries=1, transaction_statements=0, answered=False),
            Step(seconds=0.002, queries=1, transaction_statements=0, answered=False, error="boom"),
        ],
    )
    summary = load_summary(result)
    assert summary["steps"] == 2
    assert summary["steps_per_second"] == 1.0
    assert summary["p50_ms"] == pytest.approx(20.0)
    assert summary["queries_per_step_mean"] == 4.0
    assert summary["queries_per_step_max"] == 5
    assert summary["empty_fetches"] == 1
    assert summary["errors"] == 1
    assert summary["error_samples"] == ["boom"]


def figures(
    *,
    study=60.0,
    floor=100.0,
    queries=4,
    small=10.0,
    large=12.0,
    imports=2500.0,
    cpu=10.0,
    vendor="sqlite",
):
    load = {
        "steps": 100,
        "steps_per_second": study,
        "p50_ms": 20.0,
        "p99_ms": 40.0,
        "queries_per_step_mean": float(queries),
        "queries_per_step_max": queries,
        "transaction_statements_per_step_mean": 1.0,
        "empty_fetches": 0,
        "errors": 0,
        "error_samples": [],
        "worker_cpu_ms_per_step": cpu,
        "requests_per_step_mean": 1.0,
    }
    return {
        "study": load,
        "floor": {
            **load,
            "steps_per_second": floor,
            "queries_per_step_max": 3,
            "worker_cpu_ms_per_step": 5.0,
        },
        "next_item": {
            "small": {"reviews": 10_000, "p50_ms": small, "p99_ms": small * 2},
            "large": {"reviews": 1_000_000, "p50_ms": large, "p99_ms": large * 2},
            "growth": large / small,
        },
        "import": {"questions": 10_000, "seconds": 1.0, "questions_per_second": imports},
        "worker_peak_memory_mib": 80.0,
        "quick": False,
        "vendor": vendor,
    }


def test_figures_that_reach_every_target_meet_them_all():
    checks = check_targets(figures())
    assert [check.met for check in checks] == [True] * 5
    assert all(check.line().startswith("met") for check in checks)


@pytest.mark.parametrize(
    ("overrides", "missed"),
    [
        ({"study": 49.0}, "one-request step throughput / floor's"),
        ({"cpu": 10.5}, "worker CPU per one-request step / floor's"),
        ({"queries": 6}, "queries per one-request step on sqlite (most in any step)"),
        (
            {"queries": 5, "vendor": "postgresql"},
            "queries per one-request step on postgresql (most in any step)",
        ),
        ({"large": 13.5}, "next item p50 at large / small history"),
        ({"imports": 1999.0}, "GIFT import, questions per second"),
    ],
)
def test_a_missed_target_says_missed_and_only_that_one(overrides, missed):
    checks = check_targets(figures(**overrides))
    assert [check.name for check in checks if not check.met] == [missed]
    assert next(check for check in checks if check.name == missed).line().startswith("MISSED")


def test_a_figure_that_was_not_measured_misses_its_target():
    unmeasured = figures()
    unmeasured["floor"]["steps_per_second"] = 0.0
    unmeasured["next_item"]["growth"] = math.nan
    checks = {check.name: check.met for check in check_targets(unmeasured)}
    assert checks["one-request step throughput / floor's"] is False
    assert checks["next item p50 at large / small history"] is False


def test_table_shows_both_servers_and_the_ratios():
    table = format_table(figures(study=60.0, floor=120.0))
    steps_row = next(line for line in table.splitlines() if "steps/s" in line)
    assert steps_row.split()[-3:] == ["60.0", "120.0", "0.50"]
    assert "@1,000,000" in table
    assert "2,500 (10,000 q)" in table


def test_table_names_failed_steps():
    failing = figures()
    failing["study"] = {**failing["study"], "errors": 3, "error_samples": ["review: HTTP 400"]}
    assert "quizsite: 3 failed steps, e.g. review: HTTP 400" in format_table(failing)


def test_json_is_written_under_a_name_saying_database_and_scale(tmp_path):
    path = write_json(figures(), directory=tmp_path, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert path.name == "bench-sqlite-full-20260102T030405Z.json"
    assert json.loads(path.read_text())["import"]["questions_per_second"] == 2500.0


def test_table_shows_worker_cpu_per_step_when_measured():
    measured = figures()
    measured["study"]["worker_cpu_ms_per_step"] = 30.0
    measured["study_two_requests"] = {**measured["study"], "worker_cpu_ms_per_step": 40.0}
    measured["floor_two_requests"] = measured["floor"]
    measured["floor"]["worker_cpu_ms_per_step"] = 6.0
    cpu_rows = [line for line in format_table(measured).splitlines() if "CPU" in line]
    assert [row.split()[-3:] for row in cpu_rows] == [
        ["30.00", "6.00", "5.00"],
        ["40.00", "6.00", "6.67"],
    ]
