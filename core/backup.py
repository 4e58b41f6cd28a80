"""Backups that restore: a database dump and a manifest of the bucket, side by side.

A backup is one directory ``<TANLOV_BACKUP_DIR>/<UTC timestamp>/`` holding

* ``database.dump`` (``pg_dump --format=custom``) on PostgreSQL, or ``database.sqlite3``
  (a consistent copy made with SQLite's online backup API, never a file copy) on SQLite;
* ``manifest.json``: the dump's size and SHA-256, and every object of the media bucket
  (key, size, SHA-256, content type) as it was read at backup time.

The manifest is written last (to a temporary name, then renamed), so a directory without one
is a backup that did not finish. Objects are not copied: the bucket keeps them (versioning or
a replicated bucket are the storage's own backups); the manifest is what proves, at restore
time, that the bucket still holds every object the database refers to, byte for byte.

The command line is in ``core/management/commands/backup.py`` and ``restore.py``; the
procedure in ``docs/deploy.md``.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from core import s3

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Problem:
    """One object of the manifest the bucket does not hold as it was."""

    key: str
    reason: str  # "missing", "size" or "checksum"
    expected: str = ""
    found: str = ""

    def __str__(self):
        if self.reason == "missing":
            return f"{self.key}: missing from the bucket"
        return f"{self.key}: {self.reason} differs (manifest {self.expected}, bucket {self.found})"


# --- the database -----------------------------------------------------------------------
def _vendor(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"cannot back up a {connection.vendor} database")
    return connection.vendor


def _pg_environment(settings_dict):
    """libpq's variables for pg_dump/pg_restore: no password on a command line."""
    environment = dict(os.environ)
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    environment.update({name: str(value) for name, value in pairs.items() if value})
    return environment


def _tool(name):
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found on PATH (Debian: apt-get install postgresql-client)")
    return found


def _run(command, *, environment):
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603 -- fixed tools, no shell
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def dump_database(connection, directory):
    """Write a consistent dump of ``connection``'s database into ``directory``."""
    vendor = _vendor(connection)
    target = Path(directory) / DUMP_NAMES[vendor]
    settings_dict = connection.settings_dict
    if vendor == "postgresql":
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                f"--dbname={settings_dict['NAME']}",
            ],
            environment=_pg_environment(settings_dict),
        )
        return target
    # SQLite: the online backup API copies a consistent snapshot even while others write
    # (a plain copy of a WAL database can miss committed pages or tear mid-write).
    source = sqlite3.connect(settings_dict["NAME"])
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target


def is_empty(connection):
    """True when the database has no tables at all (a fresh ``createdb`` or a new file)."""
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore_database(connection, dump, *, force=False):
    """Load ``dump`` into ``connection``'s database (empty unless ``force``)."""
    vendor = _vendor(connection)
    if Path(dump).name != DUMP_NAMES[vendor]:
        raise BackupError(f"{Path(dump).name} is not a {vendor} dump")
    if not force and not is_empty(connection):
        raise BackupError(
            f"the database {connection.settings_dict['NAME']} is not empty; restore into an "
            "empty one (or pass --force to overwrite it)"
        )
    settings_dict = connection.settings_dict
    connection.close()  # nothing of ours holds the database while it is replaced
    if vendor == "postgresql":
        command = [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, str(dump)], environment=_pg_environment(settings_dict))
        return
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(settings_dict["NAME"])
    try:
        source.backup(target)  # page by page, replacing whatever the target held
    finally:
        target.close()
        source.close()


# --- the bucket -------------------------------------------------------------------------
def _listing(client, bucket):
    """{key: size} of every object in ``bucket``."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["Size"]
    return found


def _read(client, bucket, key):
    """(size, sha256, content type) of one object, streamed."""
    answer = client.get_object(Bucket=bucket, Key=key)
    digest = hashlib.sha256()
    size = 0
    body = answer["Body"]
    try:
        for chunk in iter(lambda: body.read(CHUNK), b""):
            size += len(chunk)
            digest.update(chunk)
    finally:
        body.close()
    return size, digest.hexdigest(), answer.get("ContentType", "")


def bucket_manifest(client, bucket):
    """Every object of ``bucket``: key, size, SHA-256 and content type, sorted by key."""
    objects = []
    for key in sorted(_listing(client, bucket)):
        size, sha256, content_type = _read(client, bucket, key)
        objects.append({"key": key, "size": size, "sha256": sha256, "content_type": content_type})
    return objects


def verify(manifest, *, client, bucket):
    """The objects of ``manifest`` the bucket lacks or holds differently (empty: all there).

    Objects the bucket holds beyond the manifest (uploaded after the backup) are no problem.
    """
    present = _listing(client, bucket)
    problems = []
    for expected in manifest["objects"]:
        key = expected["key"]
        if key not in present:
            problems.append(Problem(key, "missing"))
            continue
        if present[key] != expected["size"]:
            problems.append(Problem(key, "size", str(expected["size"]), str(present[key])))
            continue
        _size, sha256, _type = _read(client, bucket, key)
        if sha256 != expected["sha256"]:
            problems.append(Problem(key, "checksum", expected["sha256"], sha256))
    return problems


# --- the whole backup -------------------------------------------------------------------
def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create(directory, *, connection, client=None, bucket=None, now=None):
    """Dump the database and list the bucket into a new directory under ``directory``."""
    client = client or s3.client()
    bucket = bucket or s3.bucket_name()
    now = now or timezone.now()
    target = Path(directory) / now.strftime("%Y%m%dT%H%M%S%fZ")
    Path(directory).mkdir(parents=True, exist_ok=True)
    target.mkdir(mode=0o700)  # the dump holds personal data: its owner alone may read it
    try:
        _write(target, connection=connection, client=client, bucket=bucket, now=now)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # no half-made backup left behind
        raise
    return target


def _write(target, *, connection, client, bucket, now):
    # The dump first: every object a dumped row refers to existed before the listing began.
    dump = dump_database(connection, target)
    dump.chmod(0o600)
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": {
            "vendor": connection.vendor,
            "file": dump.name,
            "size": dump.stat().st_size,
            "sha256": file_sha256(dump),
        },
        "bucket": bucket,
        "objects": bucket_manifest(client, bucket),
    }
    partial = target / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    partial.rename(target / MANIFEST)


def upload(backup, *, client=None, bucket, prefix=""):
    """Copy a finished backup directory to ``bucket`` under ``prefix/<name>/``; its keys."""
    client = client or s3.client()
    backup = Path(backup)
    base = "/".join(part for part in (prefix.strip("/"), backup.name) if part)
    keys = []
    # The manifest last, as on disk: a prefix without one is an upload that did not finish.
    for path in sorted(backup.iterdir(), key=lambda path: path.name == MANIFEST):
        key = f"{base}/{path.name}"
        client.upload_file(str(path), bucket, key)
        keys.append(key)
    return keys


def load(backup):
    """The manifest of ``backup``, once its dump is checked against it."""
    backup = Path(backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{backup} has no {MANIFEST}: not a finished backup") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    dump = backup / manifest["database"]["file"]
    if not dump.is_file():
        raise BackupError(f"{dump} is missing")
    if file_sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump} does not match the checksum in the manifest")
    return manifest


def finished(directory):
    """The finished backups under ``directory``, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if (path / MANIFEST).is_file())


def prune(directory, *, keep):
    """Delete all but the ``keep`` newest finished backups; the deleted paths."""
    old = finished(directory)[:-keep] if keep > 0 else []
    for path in old:
        shutil.rmtree(path)
    return old
