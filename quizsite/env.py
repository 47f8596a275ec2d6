"""Typed reading of environment variables, with errors that name the variable."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, yes, no, on, off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of: {', '.join(choices)}.")
    return value


def env_database(name: str, default: str, *, pool: bool = False, conn_max_age: int = 60) -> dict:
    """A DATABASES entry from the URL in `name`. Connections persist for `conn_max_age`
    seconds (0: one per request), on SQLite too: opening one there costs a worker about 1.8 ms
    of CPU (Django's functions, the PRAGMAs), a fifth of the bench floor's whole step."""
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a database URL: {error}") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: only sqlite:/// and postgres:// URLs are supported."
        )
    if engine == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock at BEGIN, so two answers to one card
        # serialize instead of failing with "database is locked" half way through; WAL lets
        # readers (the study queue) go on while one worker writes.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif env_bool("DATABASE_PGBOUNCER", default=False):
        # PgBouncer in transaction mode cannot keep a server-side cursor across statements.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        config["CONN_MAX_AGE"] = 0
    elif pool:
        # psycopg's pool keeps connections open across requests; Django then wants
        # CONN_MAX_AGE 0, as the pool, not the request cycle, owns each connection.
        config["OPTIONS"] = {
            "pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_SIZE", 8, minimum=1)}
        }
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
    return config


def env_cache(name: str, *, table: str) -> dict:
    """The shared cache every worker counts rate limits in: Django's RedisCache at the URL in
    `name` when it is set, else the database cache in `table` (created by a migration)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a redis://, rediss:// or unix:// URL.")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
