"""The bench's figures: summaries, the targets they are held to, the table and the JSON file."""

import json
import math
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.load import LoadResult

RESULTS_DIR = Path(__file__).resolve().parent / "results"

MIN_THROUGHPUT_SHARE_OF_FLOOR = 0.5
MAX_CPU_PER_STEP_OVER_FLOOR = 2.0
MAX_QUERIES_PER_STEP = {"postgresql": 4, "sqlite": 5}
"""Queries of one one-request step, by database: SQLite has no single-statement lock-and-update."""
MAX_NEXT_ITEM_GROWTH = 1.3
MIN_IMPORT_QUESTIONS_PER_SECOND = 2000


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie, interpolating between ranks."""
    if not values:
        return math.nan
    if not 0 <= fraction <= 1:
        raise ValueError("The fraction must be between 0 and 1.")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def latency_summary(seconds: Sequence[float]) -> dict:
    return {
        "count": len(seconds),
        "p50_ms": percentile(seconds, 0.5) * 1000,
        "p99_ms": percentile(seconds, 0.99) * 1000,
    }


def load_summary(result: LoadResult) -> dict:
    """Throughput and latency of every answered step; queries of the steps that took the
    loop's usual number of requests (a one-request step whose response had no next item
    fetches the queue at its next step, which `requests_per_step_mean` shows)."""
    answered = result.answered
    fewest = min((step.requests for step in answered), default=0)
    queries = [step.queries for step in answered if step.requests == fewest]
    return {
        "steps": len(answered),
        "requests_per_step_mean": statistics.fmean(step.requests for step in answered)
        if answered
        else math.nan,
        "seconds": result.elapsed,
        "steps_per_second": result.steps_per_second,
        **{k: v for k, v in latency_summary([s.seconds for s in answered]).items() if k != "count"},
        "queries_per_step_mean": statistics.fmean(queries) if queries else math.nan,
        "queries_per_step_max": max(queries, default=0),
        "transaction_statements_per_step_mean": statistics.fmean(
            step.transaction_statements for step in answered
        )
        if answered
        else math.nan,
        "empty_fetches": result.empty_fetches,
        "errors": len(result.errors),
        "error_samples": result.errors[:5],
    }


def ratio(numerator: float, denominator: float) -> float:
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


@dataclass(frozen=True)
class TargetCheck:
    name: str
    measured: float
    target: str
    met: bool

    def line(self) -> str:
        verdict = "met   " if self.met else "MISSED"
        return f"{verdict} {self.name}: {self.measured:.2f} (target {self.target})"


def check_targets(figures: dict) -> list[TargetCheck]:
    """Issue 18's targets for the one-request step (`study` against `floor`) and the import;
    a figure that was not measured misses."""
    study, floor = figures["study"], figures["floor"]
    throughput = ratio(study["steps_per_second"], floor["steps_per_second"])
    cpu = ratio(
        study.get("worker_cpu_ms_per_step", math.nan), floor.get("worker_cpu_ms_per_step", math.nan)
    )
    queries = study["queries_per_step_max"] if study["steps"] else math.nan
    max_queries = MAX_QUERIES_PER_STEP[figures["vendor"]]
    growth = figures["next_item"]["growth"]
    imports = figures["import"]["questions_per_second"]

    def at_least(value: float, bound: float) -> bool:
        return not math.isnan(value) and value >= bound

    def at_most(value: float, bound: float) -> bool:
        return not math.isnan(value) and value <= bound

    return [
        TargetCheck(
            "one-request step throughput / floor's",
            throughput,
            f">= {MIN_THROUGHPUT_SHARE_OF_FLOOR}",
            at_least(throughput, MIN_THROUGHPUT_SHARE_OF_FLOOR),
        ),
        TargetCheck(
            "worker CPU per one-request step / floor's",
            cpu,
            f"<= {MAX_CPU_PER_STEP_OVER_FLOOR}",
            at_most(cpu, MAX_CPU_PER_STEP_OVER_FLOOR),
        ),
        TargetCheck(
            f"queries per one-request step on {figures['vendor']} (most in any step)",
            queries,
            f"<= {max_queries}",
            at_most(queries, max_queries),
        ),
        TargetCheck(
            "next item p50 at large / small history",
            growth,
            f"<= {MAX_NEXT_ITEM_GROWTH}",
            at_most(growth, MAX_NEXT_ITEM_GROWTH),
        ),
        TargetCheck(
            "GIFT import, questions per second",
            imports,
            f">= {MIN_IMPORT_QUESTIONS_PER_SECOND}",
            at_least(imports, MIN_IMPORT_QUESTIONS_PER_SECOND),
        ),
    ]


def _number(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _load_rows(study: dict, floor: dict, label: str) -> list[tuple[str, str, str, str]]:
    def pair(name: str, key: str, digits: int) -> tuple[str, str, str, str]:
        ours, theirs = study.get(key, math.nan), floor.get(key, math.nan)
        return (
            name,
            _number(ours, digits),
            _number(theirs, digits),
            _number(ratio(ours, theirs), 2),
        )

    return [
        pair(f"{label}steps/s", "steps_per_second", 1),
        pair("step p50 ms", "p50_ms", 2),
        pair("step p99 ms", "p99_ms", 2),
        pair("worker CPU ms/step", "worker_cpu_ms_per_step", 2),
        (
            "queries/step mean (max)",
            f"{_number(study['queries_per_step_mean'], 2)} ({study['queries_per_step_max']})",
            f"{_number(floor['queries_per_step_mean'], 2)} ({floor['queries_per_step_max']})",
            "",
        ),
        (
            "BEGIN/SAVEPOINT per step",
            _number(study["transaction_statements_per_step_mean"], 2),
            _number(floor["transaction_statements_per_step_mean"], 2),
            "",
        ),
        (
            "requests/step mean",
            _number(study.get("requests_per_step_mean", math.nan), 2),
            _number(floor.get("requests_per_step_mean", math.nan), 2),
            "",
        ),
    ]


def format_table(figures: dict) -> str:
    study, floor, nxt, imp = (
        figures["study"],
        figures["floor"],
        figures["next_item"],
        figures["import"],
    )
    rows = [("", "quizsite", "floor", "quizsite/floor")]
    rows += _load_rows(study, floor, "one-request ")
    if "study_two_requests" in figures:
        rows.append(("", "", "", ""))
        rows += _load_rows(
            figures["study_two_requests"], figures["floor_two_requests"], "two-request "
        )
    rows += [
        ("", "", "", ""),
        (
            "next item p50 ms",
            f"{_number(nxt['small']['p50_ms'], 2)} @{nxt['small']['reviews']:,}",
            f"{_number(nxt['large']['p50_ms'], 2)} @{nxt['large']['reviews']:,}",
            _number(nxt["growth"], 2),
        ),
        (
            "next item p99 ms",
            _number(nxt["small"]["p99_ms"], 2),
            _number(nxt["large"]["p99_ms"], 2),
            _number(ratio(nxt["large"]["p99_ms"], nxt["small"]["p99_ms"]), 2),
        ),
        (
            "GIFT import q/s",
            f"{_number(imp['questions_per_second'], 0)} ({imp['questions']:,} q)",
            "",
            "",
        ),
        ("worker peak RSS MiB", _number(figures["worker_peak_memory_mib"]), "", ""),
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(
            cell.ljust(widths[column]) if column == 0 else cell.rjust(widths[column])
            for column, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    extra = []
    named = [("quizsite", study), ("floor", floor)]
    if "study_two_requests" in figures:
        named += [
            ("quizsite, two requests", figures["study_two_requests"]),
            ("floor, two requests", figures["floor_two_requests"]),
        ]
    for name, summary in named:
        if summary["errors"]:
            extra.append(
                f"{name}: {summary['errors']} failed steps, e.g. {summary['error_samples'][0]}"
            )
        if summary["empty_fetches"]:
            extra.append(f"{name}: {summary['empty_fetches']} fetches found nothing to study")
    return "\n".join(lines + extra)


def machine_description(database: str) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "system": platform.platform(),
        "python": platform.python_version(),
        "database": database,
    }


def write_json(figures: dict, *, directory: Path = RESULTS_DIR, now: datetime) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    scale = "quick" if figures["quick"] else "full"
    path = directory / f"bench-{figures['vendor']}-{scale}-{now:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return path
