from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from lti.services.registration import platform_register


class Command(BaseCommand):
    help = "Register an LMS platform (LTI 1.3): its issuer, client id, deployments and URLs."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--issuer", required=True, help="The platform's issuer (iss).")
        parser.add_argument("--client-id", required=True, help="The client id the LMS gave.")
        parser.add_argument(
            "--deployment-id",
            action="append",
            required=True,
            dest="deployment_ids",
            help="A deployment id; repeat for several.",
        )
        parser.add_argument("--auth-url", required=True, help="The OIDC authentication URL.")
        parser.add_argument("--token-url", required=True, help="The OAuth2 access token URL.")
        parser.add_argument("--keyset-url", required=True, help="The platform's JWKS URL.")
        parser.add_argument(
            "--audience", default="", help="The token audience, if not the token URL."
        )
        parser.add_argument(
            "--site",
            default="https://quizsite.example",
            help="This site's address, for the URLs printed.",
        )

    def handle(self, *args, **options):
        try:
            registration, created = platform_register(
                name=options["name"],
                issuer=options["issuer"],
                client_id=options["client_id"],
                auth_url=options["auth_url"],
                token_url=options["token_url"],
                keyset_url=options["keyset_url"],
                deployment_ids=options["deployment_ids"],
                audience=options["audience"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        site = options["site"].rstrip("/")
        self.stdout.write(
            f"{'Registered' if created else 'Updated'} {registration.name} "
            f"({registration.issuer}, client {registration.client_id}).\n"
            f"Give the LMS:\n"
            f"  OIDC login URL:  {site}{reverse('lti:login')}\n"
            f"  Launch/redirect: {site}{reverse('lti:launch')}\n"
            f"  Public JWKS URL: {site}{reverse('lti:jwks')}"
        )
