from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_SOURCE = PROJECT_DIR.parent / "shared" / "sources" / "paris-peace-talks.txt"
BUNDLED_SOURCE = PROJECT_DIR / "fixtures" / "paris-peace-talks.txt"


@pytest.fixture
def seeded(db):
    """The shipped banks and demo accounts, as `manage.py seed` leaves them."""
    from django.core.management import call_command

    call_command("seed", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
