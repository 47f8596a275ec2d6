"""Edits that never overwrite each other unseen: the version a page or API client read is
checked against the row, locked, before a change is written (the API's ETag/If-Match, a
page's hidden `version` field)."""

import hashlib

from django.db.models import Model, QuerySet

STALE_VERSION = (
    "This was changed since you opened it (perhaps by you, in another tab), so your changes "
    "were not saved. Reload the page to see the current version, then make your change again."
)


class StaleVersion(Exception):
    pass


def version_of(obj: Model) -> str:
    """A version tag for a row that has `updated_at`: it changes with every save."""
    version = f"{type(obj).__name__}:{obj.pk}:{obj.updated_at.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


def require_version(row: Model, *, version: str) -> None:
    """StaleVersion when the row (locked by the caller) is no longer at `version`."""
    if version != version_of(row):
        raise StaleVersion(STALE_VERSION)


def lock_at_version(queryset: QuerySet, *, pk: int, version: str) -> Model:
    """The row, locked for this transaction (call it inside one); StaleVersion when it is no
    longer at `version`."""
    row = queryset.select_for_update().get(pk=pk)
    require_version(row, version=version)
    return row
