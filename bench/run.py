"""`python -m bench [--quick]`: seed, serve, load, measure, print the table, write the JSON."""

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from bench.database import recreate_database

SEEDING_PROCESSES = min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Scale:
    students: int
    questions: int
    small_reviews: int
    large_reviews: int
    import_questions: int
    load_seconds: float
    load_rounds: int
    """The load alternates between quizsite and the floor, so both see the same machine."""
    load_max_steps: int
    concurrency: int
    latency_requests: int
    warmup_requests: int


FULL = Scale(
    students=1_000,
    questions=500,
    small_reviews=10_000,
    large_reviews=1_000_000,
    import_questions=10_000,
    load_seconds=30,
    load_rounds=6,
    load_max_steps=50_000,
    concurrency=4,
    latency_requests=400,
    warmup_requests=40,
)
QUICK = Scale(
    students=100,
    questions=100,
    small_reviews=1_000,
    large_reviews=100_000,
    import_questions=1_000,
    load_seconds=8,
    load_rounds=4,
    load_max_steps=5_000,
    concurrency=4,
    latency_requests=150,
    warmup_requests=20,
)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Benchmark the study loop through the REST API against a bare-Django floor, on a "
            "database of its own (bench/bench.sqlite3, or DATABASE_URL's database + '_bench')."
        ),
    )
    parser.add_argument("--quick", action="store_true", help="a small scale, in under two minutes")
    for name in ("students", "questions", "small-reviews", "large-reviews", "import-questions"):
        parser.add_argument(f"--{name}", type=int, help="override the scale's default")
    parser.add_argument("--load-seconds", type=float, help="seconds of load for each of the two")
    parser.add_argument("--concurrency", type=int, help="simulated students studying at once")
    return parser.parse_args(argv)


def _scale(arguments: argparse.Namespace) -> Scale:
    scale = QUICK if arguments.quick else FULL
    overrides = {
        field: getattr(arguments, field)
        for field in (
            "students",
            "questions",
            "small_reviews",
            "large_reviews",
            "import_questions",
            "load_seconds",
            "concurrency",
        )
        if getattr(arguments, field) is not None
    }
    return replace(scale, **overrides)


def _say(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


IMPORT_RUNS = 3
"""Imports of the same file (as new sets) whose median is the figure: one import of a second
or less is at the mercy of a neighbour's burst of CPU."""


def import_size(scale: Scale, *, limit: int) -> int:
    """The scale's import, but never more questions than the site accepts in one file."""
    return min(scale.import_questions, limit)


def _measure_import(*, questions: int, owner) -> dict:
    from bench.gift import gift_file
    from questions.services.set_import import import_file

    content = gift_file(questions).encode()
    runs = []
    for run in range(1, IMPORT_RUNS + 1):
        started = time.perf_counter()
        report = import_file(
            content=content, filename=f"bench-{run}.gift", format="gift", owner=owner
        )
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    return {
        "questions": report.created_questions,
        "bytes": len(content),
        "seconds": seconds,
        "runs_seconds": runs,
        "questions_per_second": report.created_questions / seconds,
    }


def _next_item(*, loop, client, students: list[int], scale: Scale, reviews: int) -> dict:
    """Sequential fetches of the next item, alone on the server, after a warm-up."""
    from bench.load import next_item_latencies, queue_reasons
    from bench.report import latency_summary

    next_item_latencies(loop=loop, client=client, students=students, requests=scale.warmup_requests)
    replies = next_item_latencies(
        loop=loop, client=client, students=students, requests=scale.latency_requests
    )
    summary = {
        "reviews": reviews,
        **latency_summary([reply.seconds for reply in replies]),
        "reasons": queue_reasons(replies),
    }
    _say(
        f"next item at {reviews:,} reviews: p50 {summary['p50_ms']:.2f} ms "
        f"(items by reason: {summary['reasons']})"
    )
    return summary


def _load(*, server, client, loops: dict, students: list[int], scale: Scale) -> dict:
    """Closed-loop load on each of `loops`, in alternating rounds so all see the same machine."""
    from bench import report
    from bench.load import LoadResult, run_closed_loop

    def load(loop, seconds: float, max_steps: int) -> LoadResult:
        return run_closed_loop(
            loop=loop,
            client=client,
            students=students,
            concurrency=scale.concurrency,
            seconds=seconds,
            max_steps=max_steps,
        )

    for loop in loops.values():
        if hasattr(loop, "prime"):
            loop.prime(client, students, threads=scale.concurrency)
        load(loop, math.inf, scale.warmup_requests)
    _say(
        f"Load: {scale.concurrency} students at once, {scale.load_seconds:.0f}s each for "
        f"{', '.join(loops)}, in {scale.load_rounds} alternating rounds"
    )
    results = {name: LoadResult(elapsed=0.0) for name in loops}
    cpu = dict.fromkeys(loops, 0.0)
    for _ in range(scale.load_rounds):
        for name, loop in loops.items():
            cpu_before = server.worker_cpu_seconds()
            result = load(
                loop,
                scale.load_seconds / scale.load_rounds,
                scale.load_max_steps // scale.load_rounds,
            )
            cpu[name] += server.worker_cpu_seconds() - cpu_before
            results[name] = results[name].merged(result)
    figures = {}
    for name, result in results.items():
        figures[name] = report.load_summary(result)
        figures[name]["worker_cpu_ms_per_step"] = report.ratio(
            cpu[name] * 1000, len(result.answered)
        )
        _say(f"{name}: {figures[name]['steps_per_second']:.1f} steps/s")
    return figures


def _print_report(figures: dict, checks: list, path) -> None:
    from bench import report
    from bench.queries import format_step_sql
    from bench.scale_out import format_scale_out

    machine = figures["machine"]
    print()
    print(
        f"quizsite bench, {'QUICK' if figures['quick'] else 'full'} scale, {machine['database']}, "
        f"{machine['cores']} x {machine['cpu']}, {machine.get('cache', '?')}, "
        f"{figures['started_at'][:16]} UTC"
    )
    print(report.format_table(figures))
    print()
    for check in checks:
        print(check.line())
    if "scale_out" in figures:
        print(format_scale_out(figures["scale_out"]))
    print(
        "\nThe statements of a one-request step, and of the two-request step's two requests, "
        "captured in-process (the JSON has their SQL):"
    )
    print(format_step_sql(figures["study_step_sql"]))
    print(f"\nFigures written to {path.relative_to(report.RESULTS_DIR.parent.parent)}")


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    # The bench serves no static files; whitenoise need not say it found none.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    scale = _scale(arguments)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import report, seeding
    from bench.load import ApiStudyLoop, Client, FloorStudyLoop
    from bench.one_request import ApiOneRequestLoop, FloorOneRequestLoop
    from bench.queries import study_step_sql
    from bench.scale_out import measure_scale_out
    from bench.server import GunicornServer

    started_at = datetime.now(UTC)
    vendor = connection.vendor
    _say(f"{'QUICK' if arguments.quick else 'FULL'} scale on {vendor}: {asdict(scale)}")
    _say(f"Recreating the bench database {settings.DATABASES['default']['NAME']}")
    connection.close()
    recreate_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0, interactive=False)

    school = seeding.seed_school(students=scale.students, questions=scale.questions)
    seeding.issue_tokens(school)
    students = school.student_ids
    keys = {question.id: question.key for question in school.questions}
    api_loop = ApiStudyLoop(tokens=school.tokens, keys=keys)
    seeding.seed_reviews(school=school, reviews=scale.small_reviews, now=timezone.now())
    seeding.refresh_planner_statistics()
    figures: dict = {
        "quick": arguments.quick,
        "vendor": vendor,
        "started_at": started_at.isoformat(),
        "scale": asdict(scale),
        "machine": {
            **report.machine_description(_database_version()),
            # DRF's throttles count in it: the database cache adds queries to every API request.
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        },
    }
    with GunicornServer(log_path=report.RESULTS_DIR / f"gunicorn-{vendor}.log") as server:
        client = Client(port=server.port)
        _say(f"gunicorn on 127.0.0.1:{server.port}, workers {server.worker_pids()}")
        seeding.mark_tokens_in_use(now=timezone.now())
        small = _next_item(
            loop=api_loop,
            client=client,
            students=students,
            scale=scale,
            reviews=scale.small_reviews,
        )

        _say(f"Replacing the history with {scale.large_reviews:,} reviews")
        seeding.clear_study_history()
        seeding_started = time.perf_counter()
        seeding.seed_reviews(
            school=school,
            reviews=scale.large_reviews,
            now=timezone.now(),
            processes=SEEDING_PROCESSES,
        )
        seeding_seconds = time.perf_counter() - seeding_started
        seeding.refresh_planner_statistics()
        figures["seeding"] = {
            "reviews": scale.large_reviews,
            "seconds": seeding_seconds,
            "reviews_per_second": scale.large_reviews / seeding_seconds,
        }
        seeding.mark_tokens_in_use(now=timezone.now())
        large = _next_item(
            loop=api_loop,
            client=client,
            students=students,
            scale=scale,
            reviews=scale.large_reviews,
        )
        figures["next_item"] = {
            "small": small,
            "large": large,
            "growth": report.ratio(large["p50_ms"], small["p50_ms"]),
        }
        # The one-request loops are the main figures (the issue's targets); the two-request
        # loops are still measured, alternating with them.
        loops = {
            "study": ApiOneRequestLoop(two_requests=api_loop),
            "floor": FloorOneRequestLoop(),
            "study_two_requests": api_loop,
            "floor_two_requests": FloorStudyLoop(),
        }
        figures |= _load(server=server, client=client, loops=loops, students=students, scale=scale)
        figures["worker_peak_memory_mib"] = server.worker_peak_memory_kib() / 1024
        _say("Scale-out: the same load on one node, then on two")
        figures["scale_out"] = measure_scale_out(
            server=server,
            loop=api_loop,
            students=students,
            scale=scale,
            log_path=report.RESULTS_DIR / f"gunicorn-{vendor}-second-node.log",
        )

    figures["study_step_sql"] = study_step_sql(loop=api_loop, student=students[-1])
    import_questions = import_size(scale, limit=settings.QUIZSITE_MAX_IMPORT_QUESTIONS)
    _say(
        f"Importing a generated GIFT file of {import_questions:,} questions {IMPORT_RUNS} times"
        + (
            f" (the scale's {scale.import_questions:,} is over QUIZSITE_MAX_IMPORT_QUESTIONS)"
            if import_questions < scale.import_questions
            else ""
        )
    )
    figures["import"] = _measure_import(questions=import_questions, owner=school.teacher)
    figures["finished_at"] = datetime.now(UTC).isoformat()

    checks = report.check_targets(figures)
    figures["targets"] = [asdict(check) for check in checks]
    path = report.write_json(figures, now=started_at)
    _print_report(figures, checks, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
