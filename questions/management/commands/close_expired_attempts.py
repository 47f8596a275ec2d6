from django.core.management.base import BaseCommand
from django.utils import timezone

from questions.services.quizzes import attempts_close_expired


class Command(BaseCommand):
    help = "Submit quiz attempts left open past their deadline (run it from cron)."

    def handle(self, *args, **options):
        closed = attempts_close_expired(now=timezone.now())
        self.stdout.write(f"Attempts submitted: {closed}.")
