"""`python -m bench.profile_step`: 100 one-request study steps in process, under cProfile.

Seeds a small school on the bench database (bench/database.py: rebuilt by every run), then
drives POST /api/v1/reviews/?next=true through Django's test client with real API tokens, and
prints the queries of each step and the profile's top entries. Not a benchmark: cProfile
inflates Python time; compare runs of this script with each other only.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import sys
import warnings
from collections import Counter

WARM_UP_STEPS = 20


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--reviews", type=int, default=1_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    return parser.parse_args(argv)


def main(argv=None) -> int:
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
    from bench.middleware import QueryCounter
    from bench.queries import _Recorder

    connection.close()
    recreate_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    school = seeding.seed_school(students=arguments.students, questions=arguments.questions)
    seeding.issue_tokens(school)
    seeding.seed_reviews(school=school, reviews=arguments.reviews, now=timezone.now())
    seeding.refresh_planner_statistics()
    seeding.mark_tokens_in_use(now=timezone.now())
    loop = ApiStudyLoop(tokens=school.tokens, keys={q.id: q.key for q in school.questions})
    client = InProcessClient()
    rng = random.Random(1968)
    students = school.student_ids
    views = {}
    for student in students:
        reply = loop.fetch(client, student)
        views[student] = reply.json()["results"][0]["question"]

    queries, transaction_statements, shapes = Counter(), Counter(), Counter()

    def steps(count):
        for number in range(count):
            student = students[number % len(students)]
            payload = loop.answer_payload(views[student], rng)
            counter, recorder = QueryCounter(), _Recorder()
            with connection.execute_wrapper(counter), connection.execute_wrapper(recorder):
                reply = client.request(
                    "POST",
                    "/api/v1/reviews/?next=true",
                    payload=payload,
                    token=school.tokens[student],
                )
            if reply.status not in (200, 201):
                raise RuntimeError(f"HTTP {reply.status}: {reply.body[:300]!r}")
            queries[counter.queries] += 1
            shapes[tuple(statement["statement"] for statement in recorder.statements)] += 1
            transaction_statements[counter.transaction_statements] += 1
            following = reply.json()["next"]
            views[student] = (
                following["question"]
                if following
                else loop.fetch(client, student).json()["results"][0]["question"]
            )

    steps(WARM_UP_STEPS)  # first uses: word lists, compiled regexes, the question cache
    queries.clear()
    transaction_statements.clear()
    shapes.clear()
    profile = cProfile.Profile()
    profile.runcall(steps, arguments.steps)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    total = stats.total_tt
    stats.sort_stats(arguments.sort).print_stats(arguments.top)
    project = re.escape(str(settings.BASE_DIR))
    stats.sort_stats("cumulative").print_stats(rf"{project}/(questions|quizsite)/", arguments.top)
    print(f"{connection.vendor}: {arguments.steps} one-request steps, {total:.2f} s under cProfile")
    print(f"({total / arguments.steps * 1000:.1f} ms a step, authentication included)")
    print(f"queries a step (authentication included, transaction control apart): {dict(queries)}")
    print(f"transaction statements a step: {dict(transaction_statements)}")
    for shape, count in shapes.most_common(3):
        print(f"{count} steps ran: " + "; ".join(shape))
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
