"""`python -m bench.profile`: cProfile of one-request study steps, in-process, on the bench database.

It seeds a small school (as the QUICK bench does), hands each student their first item, then
runs `--steps` one-request steps (POST /api/v1/reviews/?next=true) through Django's test client
under cProfile, and prints the functions with the most cumulative and the most own time.
cProfile inflates Python time (each call costs more under it), so read the shares, not the
milliseconds; the bench's worker CPU per step is the figure without it.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
import warnings
from pathlib import Path

PROJECT_DIR = str(Path(__file__).resolve().parent.parent) + "/"
PROJECT_CODE = (
    r"/(questions|quizsite|lti)/|rest_framework/(serializers|relations|throttling|fields)\.py"
)
"""quizsite's code, and the DRF validation and throttling it calls."""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--steps", type=int, default=100, help="one-request steps to profile")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--reviews", type=int, default=2_000)
    parser.add_argument("--top", type=int, default=25, help="lines of each listing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import seeding
    from bench.database import recreate_database
    from bench.load import ApiStudyLoop, InProcessClient
    from bench.one_request import ApiOneRequestLoop

    connection.close()
    recreate_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0, interactive=False)
    school = seeding.seed_school(students=arguments.students, questions=arguments.questions)
    seeding.issue_tokens(school)
    seeding.seed_reviews(school=school, reviews=arguments.reviews, now=timezone.now())
    seeding.refresh_planner_statistics()
    seeding.mark_tokens_in_use(now=timezone.now())
    keys = {question.id: question.key for question in school.questions}
    loop = ApiOneRequestLoop(two_requests=ApiStudyLoop(tokens=school.tokens, keys=keys))
    client = InProcessClient()
    students = school.student_ids
    loop.prime(client, students, threads=1)
    rng = random.Random(1968)
    for student in students:  # a warm-up step each: imports, caches, compiled regexes
        loop.step(client, student, rng)

    profile = cProfile.Profile()
    started, cpu_started = time.perf_counter(), time.process_time()
    profile.enable()
    steps = [
        loop.step(client, students[number % len(students)], rng)
        for number in range(arguments.steps)
    ]
    profile.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    failed = [step.error for step in steps if step.error]
    print(
        f"{len(steps)} one-request steps in-process on {connection.vendor}, under cProfile: "
        f"{seconds / len(steps) * 1000:.1f} ms a step, {cpu / len(steps) * 1000:.1f} ms of CPU; "
        f"{sum(step.queries for step in steps) / len(steps):.1f} queries a step"
        + (f"; {len(failed)} failed, e.g. {failed[0]}" if failed else "")
    )
    listings = [
        (
            "quizsite's functions (and DRF's validation), by cumulative time",
            "cumulative",
            PROJECT_CODE,
        ),
        ("all functions, by own time", "tottime", None),
    ]
    for title, order, restriction in listings:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        if restriction is None:
            stats.strip_dirs()
        stats.sort_stats(order).print_stats(*filter(None, [restriction, arguments.top]))
        table = out.getvalue().split("ncalls", 1)[-1]
        print(f"\n{title}:\n   ncalls{table.rstrip()}".replace(PROJECT_DIR, ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
