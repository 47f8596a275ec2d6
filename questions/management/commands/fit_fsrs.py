from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from questions.services.fitting import (
    DEFAULT_MIN_NEW_REVIEWS,
    FitOutcome,
    fsrs_fit_user,
    fsrs_population_parameters,
    users_due_for_fit,
)


class Command(BaseCommand):
    help = (
        "Fit FSRS-6 parameters to each learner's own review log (fsrs-rs, no PyTorch), in their "
        "own study days, shrunk toward parameters fitted to all learners, and adopt them when "
        "they predict the learner's most recent reviews better than the parameters in use. "
        "Learners with too few reviews keep theirs. Safe to run again at any time, e.g. nightly."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", metavar="NAME", help="Fit this user only.")
        who.add_argument(
            "--all",
            action="store_true",
            help="Fit every user with enough reviews since their last fit (--min-new-reviews).",
        )
        parser.add_argument(
            "--min-reviews",
            type=int,
            metavar="N",
            help=(
                "Fit only users with at least N reviews made on a later day than the previous "
                "review of the same question (default 100 with a population prior, else 400)."
            ),
        )
        parser.add_argument(
            "--min-new-reviews",
            type=int,
            default=DEFAULT_MIN_NEW_REVIEWS,
            metavar="N",
            help=f"With --all: reviews since the last fit (default {DEFAULT_MIN_NEW_REVIEWS}).",
        )
        parser.add_argument(
            "--no-population",
            action="store_true",
            help="Fit each learner alone, without shrinking toward all learners' parameters.",
        )

    def handle(self, *args, user, all, min_reviews, min_new_reviews, no_population, **options):
        if min_reviews is not None and min_reviews < 1:
            raise CommandError("--min-reviews must be at least 1.")
        if min_new_reviews < 1:
            raise CommandError("--min-new-reviews must be at least 1.")
        now = timezone.now()
        learners = get_user_model().objects.filter(reviews__isnull=False).distinct()
        if user is not None:
            chosen = list(get_user_model().objects.filter(username=user))
            if not chosen:
                raise CommandError(f"There is no user named {user!r}.")
        else:
            chosen = list(users_due_for_fit(min_new_reviews=min_new_reviews, now=now))
        population = (
            None
            if no_population or not chosen
            else fsrs_population_parameters(users=learners.order_by("pk"), now=now)
        )
        if population is not None:
            self.stdout.write(
                "Population parameters: " + ", ".join(f"{value:g}" for value in population)
            )
        outcomes = {outcome: 0 for outcome in FitOutcome}
        progress = tqdm(chosen, desc="Fitting", unit="learner", file=self.stderr, disable=not all)
        for learner in progress:
            result = fsrs_fit_user(
                user=learner, now=now, min_reviews=min_reviews, population=population
            )
            outcomes[result.outcome] += 1
            progress.clear()  # the message goes where the bar was, then the bar comes back
            self.stdout.write(result.message)
            progress.refresh()
        if all:
            self.stdout.write(
                f"{len(chosen)} of {learners.count()} learners had at least {min_new_reviews} "
                f"new reviews: {outcomes[FitOutcome.ADOPTED]} adopted a fit, "
                f"{outcomes[FitOutcome.NOT_BETTER]} kept parameters that predict as well, "
                f"{outcomes[FitOutcome.TOO_FEW_REVIEWS]} have too few reviews."
            )
