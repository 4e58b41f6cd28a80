"""Load the demo data `make run` serves. Idempotent: a second run creates no duplicates."""

import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.demo import site, users
from cms.demo.clock import demo_step

# Each domain's demo lives in cms/demo/<name>.py with an idempotent load(stdout=…);
# order matters: later modules build on earlier ones. A module about a past challenge says
# when in its timeline it runs (``DEMO_AS_OF``, cms/demo/clock.py).
DEMO_MODULES = [
    "challenges",
    "submissions",
    "screening",
    "judging",
    "results",
    "feedback",
    "certificates",
    "incubation",
    "notifications",
    "vote",
    "broadcasts",
    "hackathon",
    "reporting",
    # Pairwise expo judging on the demo hackathon (after the hackathon demo, if any).
    "pairwise",
]


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
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(f"cms.demo.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"cms.demo.{name}":
                    raise
                continue
            with demo_step(module):
                module.load(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins (sign in with the e-mail; password for all: {users.DEMO_PASSWORD})"
        )
        mentor = get_user_model().objects.filter(username="mentor").first()
        if mentor is not None:
            accounts.append(("mentor", mentor.username, mentor.email))
        for role, username, email in accounts:
            self.stdout.write(f"  {role:<14} {username:<12} {email}")
        self.stdout.write("")
        self.stdout.write("Where to look: /en/ (site), /admin/ (staff: editor, admin), /en/me/")
        self.stdout.write("(participant), /en/judging/ (juror), /en/incubation/ (mentor),")
        self.stdout.write("/admin/incubation/ (incubation staff: editor).")
