"""The introduction at the top of /api/v1/docs/: what an LMS developer needs before the first call."""

API_DESCRIPTION = """
Question banks, FSRS-6 spaced-repetition study, progress and class reports, for LMS integrations
and any other client.

## Signing in
* **API token** (for integrations): create one with `POST /api/v1/tokens/` while signed in, or
  exchange a username and password for one with `POST /api/v1/auth/token/`. The token is shown
  **once**; only its SHA-256 hash is kept. Send it as `Authorization: Bearer <token>`
  (`Token <token>` works too). Revoke it with `DELETE /api/v1/tokens/{id}/`.
* **Session** (for the site's own pages): the session cookie, with the `X-CSRFToken` header on
  writes.

Every address needs a signed-in caller. Everything you may not see answers 404, exactly as if it
did not exist; what you may see but not change answers 403.

## A study loop
1. `GET /api/v1/study/queue/?set=ID` (or `topic=slug`, or nothing for everything you study):
   up to `limit` questions as a student sees them — never the right answer. Choices, matching
   right sides and ordering items carry opaque string ids; send those ids back (answer row ids
   are refused: they would give the answer away).
2. `POST /api/v1/reviews/` with a new `client_id` (e.g. a UUID), the `question`, the `answer`
   (or `rating` 1–4 for a flashcard) and `response_ms`. The reply says whether it was right, the
   right answer, the explanation, the cited passage, the rating used and the next due date.
   Sending the same `client_id` again is harmless and returns the same body (status 200);
   the same `client_id` with a different answer is refused with 409.
3. `GET /api/v1/progress/` (or `?set=`, `?topic=`; teachers add `?user=` for a student of theirs)
   and `GET /api/v1/classes/{id}/report/` (also `?format=csv` or `Accept: text/csv`).

## Conventions
* **Lists** are paged: `?page=` and `?page_size=` (50 by default, at most 200), with `count`,
  `next`, `previous` and `results`. The study queue is bounded by `limit` instead.
* **Errors** all have one body:
  `{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"title": ["…"]}}}`.
  `message` says what to do; `fields` names each field that is wrong (nested ones with dots,
  e.g. `answers.0.text`).
* **Edits of sets and questions** need the `ETag` from your last `GET` in an `If-Match` header:
  without it the edit is refused with 428, and with a stale one with 412, so two editors never
  overwrite each other unseen. `If-Match: *` skips the check on purpose.
* **Deleting** a set or question that someone has studied archives it instead, so the review
  log stays whole.
* **Throttling**: requests are limited per user and, more strictly, per address for anonymous
  callers; signing in and creating tokens have their own stricter limits. A 429 carries
  `Retry-After`.
* Owner, schedule, score and review fields are never taken from a request body.
"""
