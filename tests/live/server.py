"""A real deployment on loopback for the tests that need one: gunicorn with two sync workers,
debug off, collected static files, a fresh SQLite database and Redis (db 2) or the database
cache. Ports 8020-8029 belong to this worktree's live tests."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
PORTS = range(8020, 8030)
REDIS_URL = os.environ.get("QUIZSITE_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
READY_TIMEOUT = 60.0
SETUP_SCRIPT = """
from django.contrib.auth.models import Group, User
from questions.services.tokens import token_create
import json, sys
teachers, _ = Group.objects.get_or_create(name="teachers")
student = User.objects.create_user("live-student", password="live student password 1")
teacher = User.objects.create_user("live-teacher", password="live teacher password 1")
teacher.groups.add(teachers)
print(json.dumps({
    "student": token_create(user=student, name="live").key,
    "teacher": token_create(user=teacher, name="live").key,
}))
"""


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"none of the ports {PORTS.start}-{PORTS.stop - 1} is free")


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)


@dataclass
class LiveServer:
    base_url: str
    tokens: dict
    env: dict

    def request(
        self, method: str, path: str, *, body=None, headers=None, source: str = "127.0.0.1"
    ) -> Reply:
        """One request on a new connection from `source` (any 127.x address: a client of
        its own to the rate limits)."""
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        headers = {"Content-Type": "application/json", **(headers or {})}
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.read(), dict(response.getheaders()))
        finally:
            connection.close()

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])


def _environment(tmp: Path, *, redis: bool) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "QUIZSITE_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "live-test-secret-key-" + "x" * 40,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DATABASE_URL": f"sqlite:///{tmp / 'live.sqlite3'}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(tmp: Path, *, redis: bool) -> tuple[dict, dict]:
    """Migrate a fresh database, collect static files, and make a student and a teacher."""
    env = _environment(tmp, redis=redis)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    tokens = json.loads(_manage(env, "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
    if redis:
        import redis as redis_client

        redis_client.Redis.from_url(REDIS_URL).flushdb()
    return env, tokens


class Gunicorn:
    def __init__(self, env: dict, tokens: dict, *, log_path: Path, workers: int = 2):
        self.env, self.tokens, self.log_path, self.workers = env, tokens, log_path, workers
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> LiveServer:
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "quizsite.wsgi:application",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                ],
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server = LiveServer(f"http://127.0.0.1:{self.port}", self.tokens, self.env)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if server.request("GET", "/api/v1/schema/").status < 500 and self._all_up():
                    return server
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn not ready:\n{self.log_path.read_text()[-3000:]}")

    def _all_up(self) -> bool:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return len(children.read_text().split()) == self.workers

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
