import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cluster's nodes keep their own cache in Redis; this process has none to clear."""
    return
