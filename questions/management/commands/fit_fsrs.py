from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questions.services.fitting import DEFAULT_MIN_REVIEWS, FitOutcome, fsrs_fit_user


class Command(BaseCommand):
    help = (
        "Fit FSRS-6 parameters to each learner's own review log (fsrs-rs, no PyTorch) and adopt "
        "them when they predict the learner's most recent reviews better than the parameters in "
        "use. Learners with too few reviews keep theirs. Safe to run again at any time."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", metavar="NAME", help="Fit this user only.")
        who.add_argument("--all", action="store_true", help="Fit every user who has reviews.")
        parser.add_argument(
            "--min-reviews",
            type=int,
            default=DEFAULT_MIN_REVIEWS,
            metavar="N",
            help=(
                "Fit only users with at least N reviews made a day or more after the previous "
                f"review of the same question (default {DEFAULT_MIN_REVIEWS})."
            ),
        )

    def handle(self, *args, user: str | None, all: bool, min_reviews: int, **options):
        if min_reviews < 1:
            raise CommandError("--min-reviews must be at least 1.")
        users = get_user_model().objects.order_by("username")
        if user is not None:
            users = users.filter(username=user)
            if not users.exists():
                raise CommandError(f"There is no user named {user!r}.")
        else:
            users = users.filter(reviews__isnull=False).distinct()
        now = timezone.now()
        outcomes = {outcome: 0 for outcome in FitOutcome}
        for learner in users:
            result = fsrs_fit_user(user=learner, now=now, min_reviews=min_reviews)
            outcomes[result.outcome] += 1
            self.stdout.write(result.message)
        if all:
            self.stdout.write(
                f"{outcomes[FitOutcome.ADOPTED]} adopted a fit, "
                f"{outcomes[FitOutcome.NOT_BETTER]} kept parameters that predict as well, "
                f"{outcomes[FitOutcome.TOO_FEW_REVIEWS]} have too few reviews."
            )
