"""Marks several test modules share.

The one skip the suite allows is this one: a newcomer on SQLite cannot fix it, and CI runs
these tests on PostgreSQL. Everything else a test needs, ``make test`` installs (a missing
Chromium or axe-core fails the test).
"""

import pytest
from django.db import connection

POSTGRES_ONLY = "PostgreSQL-only: row locks and concurrent writers, which SQLite lacks"

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason=POSTGRES_ONLY)
