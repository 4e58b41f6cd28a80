"""Load the demo data `make run` serves. Idempotent: a second run creates no duplicates."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import site, users


class Command(BaseCommand):
    help = "Create or refresh the demo site, challenges and accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (throwaway deployments such as CI's smoke test).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo creates accounts with a published password; refusing with DEBUG off. "
                "Pass --force on a throwaway deployment."
            )
        homes = site.ensure_home_pages()
        self.stdout.write(f"home pages: {', '.join(sorted(homes))}")
        accounts = users.ensure_users()
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {users.DEMO_PASSWORD})")
        for role, username, email in accounts:
            self.stdout.write(f"  {role:<14} {username:<12} {email}")
