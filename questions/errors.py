"""The one base of domain errors: what the engine refuses, said so a person can act on it.

Services and use cases raise these; they know nothing of HTTP. Each front end maps them once:
the API in questions.api.errors.exception_handler, the pages in questions.web.errors. `status`
is the HTTP status a front end answers with; `fields` names the inputs at fault, each with its
messages (the API lists them in its error body's `fields`).
"""


class DomainError(Exception):
    """A request the domain refuses: invalid input, unless a subclass says otherwise."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    """Nothing of this name exists for the caller (what they may not see is missing too)."""

    status = 404
    code = "not_found"


class NotAllowed(DomainError):
    """The caller sees it but may not do this with it."""

    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The request conflicts with what is already recorded."""

    status = 409
    code = "conflict"
