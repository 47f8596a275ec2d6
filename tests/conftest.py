import os
from pathlib import Path

import hypothesis
import pytest
from django.core.cache import cache

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_SOURCE = PROJECT_DIR.parent / "shared" / "sources" / "paris-peace-talks.txt"
BUNDLED_SOURCE = PROJECT_DIR / "fixtures" / "paris-peace-talks.txt"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The shipped banks and demo accounts, as `manage.py seed` leaves them."""
    from django.core.management import call_command

    call_command("seed", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


# CI explores the same examples on every run, so a red build is reproducible; locally
# hypothesis keeps searching new ones.
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _fresh_question_cache():
    """Ids and frozen clocks repeat from one test to the next; the cache must not."""
    from questions.selectors import question_cache

    question_cache.clear()
    yield
    question_cache.clear()
