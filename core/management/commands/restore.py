"""Restore a backup into an empty database and check the bucket against its manifest.

Exits non-zero when the database is not empty (without --force), when the dump does not
match its manifest, or when an object of the manifest is missing from the bucket or holds
other bytes. The procedure: docs/deploy.md ("Backups").
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import backup, s3


class Command(BaseCommand):
    help = (
        "Restore a backup directory made by `backup` into an empty database, then verify "
        "that the bucket holds every object of its manifest with the same size and SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup directory (the one with manifest.json).")
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite a database that is not empty.",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Do not touch the database; only check the bucket against the manifest.",
        )
        parser.add_argument(
            "--bucket",
            default=None,
            help="The bucket to verify (default: AWS_STORAGE_BUCKET_NAME).",
        )

    def handle(self, *args, path, database, force, verify_only, bucket, **options):
        try:
            manifest = backup.load(path)
            if not verify_only:
                started = time.monotonic()
                dump = f"{path}/{manifest['database']['file']}"
                backup.restore_database(connections[database], dump, force=force)
                self.stdout.write(
                    f"database restored from {dump} in {time.monotonic() - started:.1f} s"
                )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        bucket = bucket or s3.bucket_name()
        started = time.monotonic()
        problems = backup.verify(manifest, client=s3.client(), bucket=bucket)
        checked = len(manifest["objects"])
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"bucket {bucket}: {len(problems)} of {checked} objects of the manifest are "
                "missing or different"
            )
        self.stdout.write(
            f"bucket {bucket}: all {checked} objects of the manifest present and identical "
            f"({time.monotonic() - started:.1f} s)"
        )
