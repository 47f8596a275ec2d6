from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.fitting import write_review_log
from questions.learner_simulation import simulate_learner


class Command(BaseCommand):
    help = (
        "Write the review log of a simulated learner whose memory follows FSRS-6 with known "
        "parameters (questions.learner_simulation.LEARNER_PARAMETERS), as CSV in py-fsrs's "
        "test-data layout. fixtures/fsrs-example-log.csv is "
        "`simulate_fsrs_log fixtures/fsrs-example-log.csv --cards 400 --days 365 --seed 2026`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--cards", type=int, default=400)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, file: Path, cards: int, days: int, seed: int, **options):
        if cards < 1 or days < 1:
            raise CommandError("--cards and --days must be at least 1.")
        simulated = simulate_learner(cards=cards, days=days, seed=seed)
        file.write_text(
            write_review_log(
                (item.review for item in simulated), (item.duration_ms for item in simulated)
            ),
            encoding="utf-8",
        )
        self.stdout.write(f"Wrote {len(simulated)} reviews of {cards} cards to {file}.")
