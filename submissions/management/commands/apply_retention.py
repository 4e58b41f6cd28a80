"""Delete drafts and files of entries past retention (submissions.services.retention)."""

from django.core.management.base import BaseCommand

from submissions.services import retention


class Command(BaseCommand):
    help = (
        "Delete drafts and files of never-submitted or withdrawn entries "
        "TANLOV_RETENTION_DRAFT_MONTHS months after their challenge closed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print what would be deleted."
        )
        parser.add_argument("--months", type=int, default=None, help="Override the setting.")

    def handle(self, *args, dry_run=False, months=None, **options):
        items = retention.plan(months=months) if dry_run else retention.apply(months=months)
        verb = "would delete" if dry_run else "deleted"
        for item in items:
            self.stdout.write(f"{verb}: {item.describe()}")
        self.stdout.write(f"{len(items)} entries {'to clear' if dry_run else 'cleared'}.")
