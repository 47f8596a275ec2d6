"""The schemathesis CLI against a live gunicorn (two workers, debug off), once with a
student's token and once with a teacher's: every check, every phase (stateful included),
bounded in examples and time. `.ci/run` runs it; it exits non-zero on any failure.

    .venv/bin/python -m tests.live.schemathesis_run [--max-examples N] [--max-time S]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.live.server import PROJECT_DIR, Gunicorn, prepare

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
PHASES = "examples,coverage,fuzzing,stateful"


def run_as(server, who: str, *, max_examples: int, max_time: int, reports: Path) -> int:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{server.base_url}/api/v1/schema/",
        "--header",
        f"Authorization: Bearer {server.tokens[who]}",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--max-examples",
        str(max_examples),
        "--max-time",
        str(max_time),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--seed",
        "1968",
        "--generation-deterministic",
        "--report",
        "junit",
        "--report-dir",
        str(reports / who),
        "--no-color",
    ]
    print(f"== schemathesis as the {who}", flush=True)
    return subprocess.run(command, cwd=PROJECT_DIR, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--max-time", type=int, default=240, help="seconds per caller")
    parser.add_argument(
        "--reports", type=Path, default=PROJECT_DIR / "test-output" / "schemathesis"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizsite-schemathesis-") as tmp:
        env, tokens = prepare(Path(tmp), redis=False)
        with Gunicorn(env, tokens, log_path=Path(tmp) / "gunicorn.log") as server:
            codes = [
                run_as(
                    server,
                    who,
                    max_examples=args.max_examples,
                    max_time=args.max_time,
                    reports=args.reports,
                )
                for who in ("student", "teacher")
            ]
        errors = [
            line
            for line in (Path(tmp) / "gunicorn.log").read_text().splitlines()
            if "Traceback" in line or "Internal Server Error" in line
        ]
        print(f"== gunicorn logged {len(errors)} server errors")
    return 0 if not any(codes) and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
