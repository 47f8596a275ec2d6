import pytest

from bench.database import SQLITE_PATH, bench_database_url, recreate_database


@pytest.mark.parametrize(
    ("developer_url", "bench_url"),
    [
        (None, f"sqlite:///{SQLITE_PATH}"),
        ("", f"sqlite:///{SQLITE_PATH}"),
        ("sqlite:////srv/quizsite/db.sqlite3", f"sqlite:///{SQLITE_PATH}"),
        (
            "postgres://postgres@127.0.0.1:5432/quizsite",
            "postgres://postgres@127.0.0.1:5432/quizsite_bench",
        ),
        (
            "postgres://postgres@127.0.0.1:5432/quizsite_bench",
            "postgres://postgres@127.0.0.1:5432/quizsite_bench",
        ),
        (
            "postgres://u:pw@db.example/site?sslmode=require",
            "postgres://u:pw@db.example/site_bench?sslmode=require",
        ),
    ],
)
def test_the_bench_never_uses_the_developers_database(developer_url, bench_url):
    assert bench_database_url(developer_url) == bench_url


def test_only_a_bench_database_is_ever_dropped():
    with pytest.raises(RuntimeError, match="Refusing to drop 'quizsite'"):
        recreate_database({"ENGINE": "django.db.backends.postgresql", "NAME": "quizsite"})


def test_a_new_sqlite_bench_database_writes_ahead(tmp_path):
    import sqlite3

    path = tmp_path / "bench.sqlite3"
    path.write_text("an old run")
    recreate_database({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
    database = sqlite3.connect(path)
    try:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert database.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    finally:
        database.close()
