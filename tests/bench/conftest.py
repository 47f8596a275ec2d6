import pytest

from bench.load import InProcessClient


@pytest.fixture
def in_process_client():
    return InProcessClient()


@pytest.fixture
def tiny_school(db):
    """Two students and one question of every kind, as the bench seeds them."""
    from bench.seeding import issue_tokens, seed_school

    school = seed_school(students=2, questions=8)
    issue_tokens(school)
    return school
