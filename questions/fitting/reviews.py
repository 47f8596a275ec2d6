"""Review logs as plain values, and the CSV layout of py-fsrs's test data that carries them."""

import csv
import io
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from questions.domain import Rating

AGAIN = Rating.AGAIN
RATINGS = tuple(Rating)
CSV_COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")


class NotEnoughReviews(ValueError):
    """No review in the log can be learned from: each card was only seen once or the same day."""


class ReviewLogError(ValueError):
    """A review-log file that cannot be read; `line` is the 1-based line of the problem."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class LoggedReview:
    """One review of one card: who or what the card is does not matter, only its history."""

    card: Hashable
    rating: int
    reviewed_at: datetime


def chronological(reviews: Iterable[LoggedReview]) -> list[LoggedReview]:
    """The reviews oldest first; reviews at the same moment keep their order."""
    return sorted(reviews, key=lambda review: review.reviewed_at)


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        # The layout says UTC; a time written without an offset is read as UTC.
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def read_review_log(text: str) -> list[LoggedReview]:
    """Reviews from CSV in py-fsrs's test-data layout: card_id, review_rating (1–4),
    review_time (ISO-8601, UTC), review_duration (ms; read for validity, not used)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReviewLogError(f"missing column(s): {', '.join(missing)}.", line=1)
    reviews = []
    for row in reader:
        line = reader.line_num
        try:
            rating = int(row["review_rating"])
        except (TypeError, ValueError):
            raise ReviewLogError(
                f"review_rating {row['review_rating']!r} is not a number.", line=line
            ) from None
        if rating not in RATINGS:
            raise ReviewLogError(f"review_rating is 1, 2, 3 or 4, not {rating}.", line=line)
        try:
            reviewed_at = _parse_time(row["review_time"] or "")
        except ValueError:
            raise ReviewLogError(
                f"review_time {row['review_time']!r} is not an ISO-8601 time.", line=line
            ) from None
        duration = (row["review_duration"] or "").strip()
        if duration and not duration.lstrip("-").isdigit():
            raise ReviewLogError(
                f"review_duration {duration!r} is not a whole number of ms.", line=line
            )
        if not (row["card_id"] or "").strip():
            raise ReviewLogError("card_id is empty.", line=line)
        reviews.append(
            LoggedReview(card=row["card_id"].strip(), rating=rating, reviewed_at=reviewed_at)
        )
    if not reviews:
        raise ReviewLogError("the file has no reviews.")
    return reviews


def write_review_log(reviews: Iterable[LoggedReview], durations_ms: Iterable[int]) -> str:
    """CSV in the layout `read_review_log` reads, times as ISO-8601 UTC."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for review, duration in zip(reviews, durations_ms, strict=True):
        writer.writerow(
            [
                review.card,
                review.rating,
                review.reviewed_at.astimezone(UTC).isoformat(),
                duration,
            ]
        )
    return output.getvalue()
