"""`manage.py backup` and `restore`: a backup restores into a fresh database, row for row.

On SQLite the fresh database is a new file; on PostgreSQL a database created for the test
and dropped after it. The tests are transactional: pg_dump and SQLite's backup API read
what is committed, from another connection.
"""

import copy
import hashlib
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from core import backup, s3
from submissions.models import SubmissionFile
from submissions.services import files
from tests import s3 as s3_helpers
from tests.factories import UserFactory
from tests.submissions.builders import PDF, open_challenge, pdf_upload, team_entry

pytestmark = pytest.mark.django_db(transaction=True)

RESTORED = "restored"


@pytest.fixture
def fresh_database(tmp_path):
    """A database alias pointing at an empty database of the suite's vendor."""
    config = copy.deepcopy(connection.settings_dict)
    name = None
    if connection.vendor == "postgresql":
        name = f"{config['NAME']}_restore_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        config["NAME"] = name
    else:
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    connections.settings[RESTORED] = config
    _open(RESTORED)
    yield RESTORED
    connections[RESTORED].close()
    del connections[RESTORED]
    del connections.settings[RESTORED]
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def world(s3_bucket):
    """A few users, a challenge and an entry whose pitch deck is a real object in S3."""
    UserFactory.create_batch(3)
    entry = team_entry(open_challenge(), members=2)
    deck = files.attach_file(
        submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner
    )
    return deck


def _open(alias):
    """Connect ``alias`` ourselves: the test case only lets in aliases it knew beforehand."""
    db = connections[alias]
    if db.connection is None:
        db.connect()
    return db


def _counts(alias):
    """{table: rows} of every table in the database behind ``alias``."""
    db = _open(alias)
    with db.cursor() as cursor:
        tables = db.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _one_backup(directory):
    (made,) = backup.finished(directory)
    return made


def test_a_backup_restores_into_a_fresh_database_row_for_row(world, tmp_path, fresh_database):
    call_command("backup", directory=tmp_path / "backups", keep=0, upload_bucket="")
    made = _one_backup(tmp_path / "backups")
    manifest = json.loads((made / "manifest.json").read_text())

    assert manifest["database"]["vendor"] == connection.vendor
    assert made.stat().st_mode & 0o777 == 0o700  # personal data: the owner's alone
    assert (made / manifest["database"]["file"]).stat().st_size == manifest["database"]["size"]
    assert manifest["bucket"] == s3.bucket_name()
    assert manifest["objects"] == [
        {
            "key": world.key,
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "content_type": "application/pdf",
        }
    ]

    call_command("restore", str(made), database=fresh_database)

    before = _counts("default")
    after = _counts(fresh_database)
    assert after == before
    assert before["submissions_submissionfile"] == 1
    assert before["auth_user"] >= 6
    restored = SubmissionFile.objects.using(fresh_database).get(pk=world.pk)
    assert (restored.key, restored.sha256) == (world.key, hashlib.sha256(PDF).hexdigest())


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    call_command("backup", directory=tmp_path, keep=0, upload_bucket="")
    rows = _counts("default")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(_one_backup(tmp_path)))

    assert _counts("default") == rows


def test_a_changed_or_missing_object_fails_the_verification(world, tmp_path, capsys):
    other = f"certificates/{world.submission_id}.pdf"  # any object: the manifest lists all
    s3.client().put_object(Bucket=s3.bucket_name(), Key=other, Body=PDF)
    call_command("backup", directory=tmp_path, keep=0, upload_bucket="")
    made = _one_backup(tmp_path)
    call_command("restore", str(made), verify_only=True)  # all there: passes

    tampered = PDF.replace(b"1 0 obj", b"2 0 obj")
    s3.client().put_object(Bucket=s3.bucket_name(), Key=world.key, Body=tampered)
    s3.client().delete_object(Bucket=s3.bucket_name(), Key=other)

    with pytest.raises(CommandError, match="2 of 2 objects"):
        call_command("restore", str(made), verify_only=True)
    errors = capsys.readouterr().err
    assert f"{world.key}: checksum differs" in errors
    assert f"{other}: missing from the bucket" in errors


def test_a_damaged_dump_is_refused_before_anything_is_restored(world, tmp_path, fresh_database):
    call_command("backup", directory=tmp_path, keep=0, upload_bucket="")
    made = _one_backup(tmp_path)
    dump = next(path for path in made.iterdir() if path.name.startswith("database."))
    with open(dump, "r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff" * 16)

    with pytest.raises(CommandError, match="does not match the checksum"):
        call_command("restore", str(made), database=fresh_database)

    assert backup.is_empty(_open(fresh_database))


def test_a_backup_is_copied_to_the_backup_bucket_and_old_ones_pruned(world, tmp_path):
    s3_helpers.create_bucket(target := f"{s3.bucket_name()}-backups")
    for _ in range(3):
        call_command("backup", directory=tmp_path, keep=2, upload_bucket=target)

    kept = backup.finished(tmp_path)
    assert len(kept) == 2
    listed = s3.client().list_objects_v2(Bucket=target)["Contents"]
    keys = sorted(item["Key"] for item in listed)
    assert len(keys) == 6  # three backups of two files each; pruning is local only
    newest = kept[-1]
    dump_name = backup.DUMP_NAMES[connection.vendor]
    assert f"tanlov/{newest.name}/manifest.json" in keys
    assert f"tanlov/{newest.name}/{dump_name}" in keys
