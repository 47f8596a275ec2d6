from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.fitting import (
    NotEnoughReviews,
    ReviewLogError,
    benchmark,
    chronological,
    metrics,
    predictions,
    read_review_log,
    usable_parameters,
)


class Command(BaseCommand):
    help = (
        "How well FSRS-6 predicts a review log (CSV: card_id, review_rating 1-4, review_time "
        "ISO-8601 UTC, review_duration ms) with the default parameters and with parameters "
        "fitted to the oldest 70% of its reviews; both are scored on the predictable reviews "
        "among the newest 30% (log loss, srs-benchmark's RMSE over bins, AUC)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--parameters",
            metavar="W0,…,W20",
            help="Also score these 21 FSRS-6 parameters (comma-separated) on the same reviews.",
        )

    def _given_parameters(self, text: str | None) -> list[float] | None:
        if text is None:
            return None
        try:
            given = [float(value) for value in text.split(",")]
            usable = usable_parameters(given)
        except ValueError as error:
            raise CommandError(f"--parameters: {error}") from None
        if usable != [round(value, 4) for value in given]:
            raise CommandError("--parameters: some values are outside FSRS-6's bounds.")
        return given

    def handle(self, *args, file: Path, parameters: str | None, **options):
        given = self._given_parameters(parameters)
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file}: not UTF-8 text ({error.reason} at byte {error.start})."
            ) from None
        try:
            log = chronological(read_review_log(text))
            result = benchmark(log)
        except (ReviewLogError, NotEnoughReviews) as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(
            f"Fitted to the first {result.train_count} reviews; tested on the "
            f"{result.fitted.n} predictable reviews among the last {result.test_count} "
            f"(from {result.split_at:%Y-%m-%d %H:%M} UTC)."
        )
        self.stdout.write(f"default: {result.default.line()}")
        self.stdout.write(f"fitted:  {result.fitted.line()}")
        if given is not None:
            scored = metrics(
                predictions(parameters=given, log=log, first_position=result.train_count)
            )
            self.stdout.write(f"given:   {scored.line()}")
        self.stdout.write(
            "fitted parameters: " + ", ".join(f"{value:g}" for value in result.fitted_parameters)
        )
