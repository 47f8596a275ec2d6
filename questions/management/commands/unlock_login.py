"""Reset the sign-in lockout of a username (and, with --address, of an address) at once."""

from django.core.management.base import BaseCommand

from questions import lockout


class Command(BaseCommand):
    help = "Unlock sign-in for a username locked after repeated failed sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="Also unlock this client address.")

    def handle(self, *args, username: str, address: str, **options):
        if not username and not address:
            self.stderr.write("Name a username, an --address, or both.")
            raise SystemExit(2)
        lockout.unlock(username=username or None, address=address or None)
        unlocked = " and ".join(filter(None, [username and f"user {username!r}", address]))
        self.stdout.write(f"Unlocked {unlocked}.")
