import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from lti.services.grades import grades_send_due


class Command(BaseCommand):
    help = "Send the scores owed to LMS gradebooks (once, or every N seconds with --every)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds.")

    def handle(self, *args, **options):
        while True:
            sent, failed = grades_send_due(now=timezone.now())
            self.stdout.write(f"Scores sent: {sent}; failed (to retry): {failed}.")
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
