"""gunicorn serving the site on the bench settings: 2 sync workers on a free loopback port."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.load import LOOPBACK, Client

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKERS = 2
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


PORTS_VARIABLE = "BENCH_PORTS"
"""A range such as 8040-8049 to take the servers' ports from (the first free one in it)."""


def free_port() -> int:
    """A free loopback port: the first free one in BENCH_PORTS when it is set, else any."""
    low, _, high = os.environ.get(PORTS_VARIABLE, "0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((LOOPBACK, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"No free port in {PORTS_VARIABLE}={os.environ[PORTS_VARIABLE]}.")


def peak_memory_kib(pid: int) -> int | None:
    """The process's peak resident set size (VmHWM), or None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14 and 15 of proc(5), counted after the command name's closing parenthesis.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class GunicornServer:
    def __init__(self, *, log_path: Path, workers: int = WORKERS):
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "GunicornServer":
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "quizsite.wsgi:application",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{LOOPBACK}:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self) -> None:
        client = Client(port=self.port, timeout=5)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                answered = client.request("GET", "/bench/floor/next/?student=0").status == 200
                if answered and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn was not ready after {READY_TIMEOUT:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def worker_peak_memory_kib(self) -> int:
        peaks = [peak_memory_kib(pid) for pid in self.worker_pids()]
        return max((peak for peak in peaks if peak is not None), default=0)

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
