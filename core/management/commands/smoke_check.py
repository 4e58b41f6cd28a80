"""Prove a deployment works end to end: storage write/read and a task through the worker.

Exits non-zero when a part fails. Used by CI's deployment smoke test and useful after a
production deploy (`python manage.py smoke_check`).
"""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from core.tasks import ping


class Command(BaseCommand):
    help = "Store and read back one file through storage; round-trip one task via the broker."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout, **options):
        token = uuid.uuid4().hex
        name = default_storage.save(f"smoke/{token}.txt", ContentFile(token.encode()))
        try:
            with default_storage.open(name) as handle:
                if handle.read().decode() != token:
                    raise CommandError("storage returned different bytes")
        finally:
            default_storage.delete(name)
        self.stdout.write(f"storage: ok ({default_storage.__class__.__name__})")

        result = ping.delay(token).get(timeout=timeout)
        if result != {"pong": token}:
            raise CommandError(f"task round trip returned {result!r}")
        self.stdout.write("task: ok (round trip through the broker)")
