"""A small quizsite cluster on this machine, for the multi-node tests: one PostgreSQL database,
one Redis (cache and broker), two gunicorn nodes on their own ports and a Celery worker.

Loopback only. Every process is started with the production settings (debug off) and stopped
when the test module ends."""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
import requests

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
PG_ADMIN_URL = os.environ.get(
    "QUIZSITE_MULTINODE_PG", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_BASE = os.environ.get("QUIZSITE_MULTINODE_REDIS", "redis://127.0.0.1:6379")
DATABASE_NAME = "quizsite_multinode"
READY_TIMEOUT_S = 60
STUDENTS = 12
MAKE_STUDENTS = """
import json
from django.contrib.auth.models import User
from questions.models import Classroom, Membership
from questions.services.studied_sets import studied_sets_sync
from questions.services.tokens import token_create
classroom = Classroom.objects.get(join_code="DEMO1968")
tokens = {}
for n in range(%d):
    user = User.objects.create_user(f"node-student-{n}", password="node-student-pw")
    Membership.objects.create(classroom=classroom, user=user, role="student")
    tokens[user.username] = token_create(user=user, name="multinode").key
# Memberships made directly, not through class_join: what they study is synced here.
studied_sets_sync(user_ids=[User.objects.get(username=name).pk for name in tokens])
print(json.dumps(tokens))
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def kill(self) -> None:
        """Kill -9 the master and its workers at once, as a machine that loses power."""
        for pid in [*children(self.process.pid), self.process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Cluster:
    env: dict
    logs: Path
    nodes: list[Node] = field(default_factory=list)
    worker: subprocess.Popen | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str, stdin: str | None = None) -> str:
        completed = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if completed.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def start_node(self, name: str) -> Node:
        port = free_port()
        metrics_dir = self.logs / f"metrics-{name}"
        metrics_dir.mkdir(exist_ok=True)
        log = (self.logs / f"{name}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "quizsite.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"{LOOPBACK}:{port}",
                "--timeout",
                "60",
                "-c",
                "quizsite/gunicorn.conf.py",
            ],
            cwd=PROJECT_DIR,
            env={**self.env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        node = Node(name=name, port=port, process=process)
        self._wait_ready(node)
        self.nodes.append(node)
        return node

    def _wait_ready(self, node: Node) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if node.process.poll() is not None:
                raise RuntimeError(f"{node.name} exited:\n{self.log_tail(node.name)}")
            try:
                if requests.get(f"{node.url}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{node.name} was not ready:\n{self.log_tail(node.name)}")

    def start_worker(self) -> subprocess.Popen:
        log = (self.logs / "worker.log").open("w")
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "quizsite",
                "worker",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=PROJECT_DIR,
            env={**self.env, "DJANGO_LOG_LEVEL": "INFO"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if "ready." in self.log_tail("worker"):
                return self.worker
            if self.worker.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"the worker did not start:\n{self.log_tail('worker')}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        try:
            return "\n".join((self.logs / f"{name}.log").read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        for process in [*(node.process for node in self.nodes), self.worker]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*(node.process for node in self.nodes), self.worker]:
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def build_cluster(logs: Path) -> Cluster:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE_NAME}")
    cache_url, broker_url = f"{REDIS_BASE}/14", f"{REDIS_BASE}/15"
    for url in (cache_url, broker_url):
        redis.Redis.from_url(url).flushdb()
    database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE_NAME}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QUIZSITE_"))},
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": LOOPBACK,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "true",
        "REDIS_URL": cache_url,
        "QUIZSITE_BROKER_URL": broker_url,
        "QUIZSITE_IMPORT_JOB_BYTES": "100",
        "QUIZSITE_THROTTLE_LOGIN": "10/minute",
        "QUIZSITE_JOB_VISIBILITY_TIMEOUT": "60",
        "DJANGO_STATIC_ROOT": str(logs / "static"),
        "DJANGO_MEDIA_ROOT": str(logs / "media"),
    }
    cluster = Cluster(env=env, logs=logs)
    cluster.manage("migrate", "--no-input")
    cluster.manage("collectstatic", "--no-input")
    cluster.manage("seed")
    cluster.tokens = json.loads(
        cluster.manage("shell", "--no-imports", "-c", MAKE_STUDENTS % STUDENTS)
    )
    return cluster
