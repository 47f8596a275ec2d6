from django.core.management.base import BaseCommand, CommandError

from questions.services.card_rebuild import card_states_rebuild

SHOWN_DIFFERENCES = 50


class Command(BaseCommand):
    help = (
        "Rebuild every student's card states from the review log. With --check, change nothing: "
        "report the cards whose stored state differs from the log and exit with status 1 if any do."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only compare; exit 1 when a card differs."
        )
        parser.add_argument(
            "--user", type=int, action="append", dest="user_ids", help="Only this user id."
        )

    def handle(self, *args, check: bool, user_ids: list[int] | None, **options):
        report = card_states_rebuild(check=check, user_ids=user_ids)
        for difference in report.differences[:SHOWN_DIFFERENCES]:
            self.stdout.write(str(difference))
        hidden = len(report.differences) - SHOWN_DIFFERENCES
        if hidden > 0:
            self.stdout.write(f"… and {hidden} more differences.")
        if check:
            summary = (
                f"Checked {report.cards_checked} cards: "
                f"{report.cards_changed} differ from their review log."
            )
            if report.cards_changed:
                raise CommandError(summary)
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Rebuilt {report.cards_checked} cards from the review log: "
                    f"{report.cards_changed} changed."
                )
            )
