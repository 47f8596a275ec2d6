"""The bench's own database: never the development one, and rebuilt by every run."""

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
SQLITE_PATH = BENCH_DIR / "bench.sqlite3"
BENCH_SUFFIX = "_bench"


def bench_database_url(url: str | None) -> str:
    """The database the bench uses when the developer's DATABASE_URL is `url`.

    SQLite (or nothing) always means bench/bench.sqlite3. A PostgreSQL URL keeps its server and
    user but names a database ending in `_bench` (quizsite → quizsite_bench), so running the
    bench can never wipe the database of a running site.
    """
    if not url or url.startswith("sqlite:"):
        return f"sqlite:///{SQLITE_PATH}"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "quizsite"
    if not name.endswith(BENCH_SUFFIX):
        name += BENCH_SUFFIX
    return urlunsplit(parts._replace(path="/" + name))


def recreate_database(settings_dict: dict) -> None:
    """Drop and create the bench database named by a Django DATABASES entry."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(settings_dict["NAME"])
        for leftover in (
            path,
            *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")),
        ):
            leftover.unlink(missing_ok=True)
        # Write-ahead logging, kept in the file: with the default rollback journal every
        # writer blocks every reader, and two gunicorn workers spend their time in busy waits.
        with closing(sqlite3.connect(path)) as database:
            database.execute("PRAGMA journal_mode=WAL")
        return
    import psycopg
    from psycopg import sql

    name = settings_dict["NAME"]
    if not name.endswith(BENCH_SUFFIX):
        raise RuntimeError(f"Refusing to drop {name!r}: the bench only drops *{BENCH_SUFFIX}.")
    with psycopg.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    ) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
