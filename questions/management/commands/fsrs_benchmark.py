from pathlib import Path

import fsrs_rs_python
from django.core.management.base import BaseCommand, CommandError

from questions.fitting import (
    DayClock,
    NotEnoughReviews,
    ReviewLogError,
    chronological,
    read_review_log,
    training_items,
    usable_parameters,
)
from questions.fitting.days import DEFAULT_ROLLOVER_HOUR
from questions.fitting.evaluation import (
    Evaluation,
    methods,
    split_evaluation,
    split_moment,
    time_series_evaluation,
)


class Command(BaseCommand):
    help = (
        "How well FSRS-6 predicts a review log (CSV: card_id, review_rating 1-4, review_time "
        "ISO-8601 UTC, review_duration ms), as the srs-benchmark measures it: time-series splits "
        "and a single 70/30 split in time, log loss, RMSE(bins) and AUC, for FSRS-6's defaults, "
        "fsrs-rs fed Anki-style items, and quizsite's fit. With --population instead of a file: "
        "the population prior on simulated learners."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument(
            "--timezone",
            default="UTC",
            metavar="ZONE",
            help="The learner's IANA time zone, in which days are counted (default UTC).",
        )
        parser.add_argument(
            "--rollover",
            type=int,
            default=DEFAULT_ROLLOVER_HOUR,
            metavar="HOUR",
            help=f"The hour a new day starts, as Anki's (default {DEFAULT_ROLLOVER_HOUR}).",
        )
        parser.add_argument(
            "--parameters",
            metavar="W0,…,W20",
            help="Also score these 21 FSRS-6 parameters (comma-separated) on the same reviews.",
        )
        parser.add_argument(
            "--population",
            action="store_true",
            help="Score the population prior on simulated learners instead of a file.",
        )

    def handle(self, *args, file, timezone, rollover, parameters, population, **options):
        if population:
            if file is not None:
                raise CommandError("Give a file or --population, not both.")
            return self._population()
        if file is None:
            raise CommandError("Give a review-log file, or --population.")
        try:
            clock = DayClock.named(timezone, rollover)
        except ValueError as error:
            raise CommandError(f"--timezone/--rollover: {error}") from None
        given = self._given_parameters(parameters)
        log = self._read(file)
        chosen = methods(clock=clock)
        if given is not None:
            chosen["given"] = lambda training: given
        try:
            split = split_evaluation(log, chosen=chosen, clock=clock)
        except NotEnoughReviews as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(
            f"Days start at {clock.rollover_hour}:00 in {timezone}. {len(log)} reviews."
        )
        try:
            series = time_series_evaluation(log, chosen=chosen, clock=clock)
        except NotEnoughReviews as error:
            self.stdout.write(f"No time-series splits: {error}")
        else:
            self._write_time_series(series, training_items(log, clock=clock))
        self.stdout.write(
            f"Single split (oldest 70% to learn from; predictable reviews from "
            f"{split_moment(log, split):%Y-%m-%d %H:%M} UTC scored):"
        )
        for line in split.table():
            self.stdout.write(line)
        self.stdout.write(
            "quizsite's parameters (single split): "
            + ", ".join(f"{value:g}" for value in split.last_parameters["quizsite"])
        )

    def _write_time_series(self, series: Evaluation, items: list) -> None:
        self.stdout.write(
            f"Time-series splits ({len(series.folds)} folds, as the srs-benchmark and fsrs-rs's "
            "evaluate_with_time_series_splits):"
        )
        for line in series.table():
            self.stdout.write(line)
        reference = fsrs_rs_python.evaluate_with_time_series_splits(items)
        self.stdout.write(
            "fsrs-rs's own evaluate_with_time_series_splits on the same items: "
            f"log_loss={reference.log_loss:.4f} rmse_bins={reference.rmse_bins:.4f}"
        )

    def _read(self, file: Path) -> list:
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file}: not UTF-8 text ({error.reason} at byte {error.start})."
            ) from None
        try:
            return chronological(read_review_log(text))
        except ReviewLogError as error:
            raise CommandError(f"{file}: {error}") from None

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

    def _population(self) -> None:
        from questions.fitting.simulated_population import population_benchmark

        population, groups = population_benchmark()
        self.stdout.write(
            "Population parameters (fsrs-rs on 16 simulated learners' pooled reviews): "
            + ", ".join(f"{value:g}" for value in population)
        )
        for group in groups:
            self.stdout.write(
                f"{group.learners} other learners of {group.cards} cards, "
                f"{group.mean_predictable:.0f} predictable reviews each on average "
                "(time-series splits, pooled):"
            )
            width = max(len(name) for name in group.scores)
            for name, score in group.scores.items():
                self.stdout.write(f"  {name:{width}}  {score.line()}")
