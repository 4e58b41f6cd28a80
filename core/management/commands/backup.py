"""Dump the database and the bucket's manifest into a new backup directory.

Schedule, retention and the restore procedure: docs/deploy.md ("Backups").
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's online backup) with a "
        "manifest of every object in the media bucket (key, size, SHA-256, content type)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=None,
            help="Where backups go, one subdirectory each (default: TANLOV_BACKUP_DIR).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--upload-bucket",
            default=None,
            help="Also copy the backup to this bucket (default: TANLOV_BACKUP_BUCKET; "
            "empty: do not upload).",
        )
        parser.add_argument(
            "--upload-prefix",
            default=None,
            help="Key prefix in the backup bucket (default: TANLOV_BACKUP_PREFIX).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Afterwards delete all but this many newest local backups "
            "(default: TANLOV_BACKUP_KEEP; 0 keeps all).",
        )

    def handle(self, *args, **options):
        directory = options["directory"] or settings.TANLOV_BACKUP_DIR
        bucket = options["upload_bucket"]
        bucket = settings.TANLOV_BACKUP_BUCKET if bucket is None else bucket
        prefix = options["upload_prefix"]
        prefix = settings.TANLOV_BACKUP_PREFIX if prefix is None else prefix
        keep = options["keep"]
        keep = settings.TANLOV_BACKUP_KEEP if keep is None else keep
        try:
            made = backup.create(directory, connection=connections[options["database"]])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.load(made)
        self.stdout.write(
            f"backup {made}: {manifest['database']['file']} "
            f"({manifest['database']['size']} bytes), {len(manifest['objects'])} objects "
            f"of bucket {manifest['bucket']} in the manifest"
        )
        if bucket:
            keys = backup.upload(made, bucket=bucket, prefix=prefix)
            self.stdout.write(f"uploaded to s3://{bucket}/{keys[-1].rsplit('/', 1)[0]}/")
        for path in backup.prune(directory, keep=keep):
            self.stdout.write(f"deleted old backup {path}")
