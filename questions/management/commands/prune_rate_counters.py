"""Forget rate-limit counters whose window has ended (hourly from Celery beat; run it from
cron where jobs run in-process)."""

import time

from django.core.management.base import BaseCommand

from questions.throttling import rate_counters_prune


class Command(BaseCommand):
    help = "Delete the rate-limit counters of windows that have ended."

    def handle(self, *args, **options):
        deleted = rate_counters_prune(now=time.time())
        self.stdout.write(f"Deleted {deleted} expired rate counters.")
