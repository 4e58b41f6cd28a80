"""Print the URL-by-role access matrix (tests/test_url_matrix.py's TABLE) as Markdown.

    .venv/bin/python scripts/access_matrix.py > docs/access-matrix.md

The table is the test's: what this prints is what the test asserts, request by request.
Paths are shown with the names of the objects the test fills in (``{entry_a.pk}`` …);
see tests/matrix_world.py for who owns what.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402 -- settings first

django.setup()

from tests.matrix_world import ROLES  # noqa: E402
from tests.test_url_matrix import (  # noqa: E402
    DJANGO_ADMIN_SAMPLE,
    TABLE,
    WAGTAIL_ADMIN_SAMPLE,
)

HEADINGS = {
    "anonymous": "anon",
    "owner": "owner A",
    "member": "member A",
    "other_team": "team B",
    "juror": "juror",
    "juror_unassigned": "juror, unassigned",
    "juror_conflicted": "juror, conflicted",
    "mentor": "mentor P",
    "mentor_other": "mentor Q",
    "editor": "editor",
    "moderator": "moderator",
    "manager": "manager A",
    "manager_other": "manager Z",
    "superuser": "superuser",
}


def rows():
    for key, probes in TABLE.items():
        for probe in probes:
            yield key, probe
    for probe in WAGTAIL_ADMIN_SAMPLE:
        yield "(Wagtail admin, sampled)", probe
    for probe in DJANGO_ADMIN_SAMPLE:
        yield "(Django admin, sampled)", probe


def markdown():
    head = ["URL name", "request", *(HEADINGS[r] for r in ROLES)]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for key, probe in rows():
        cells = [f"`{key}`", f"{probe.method} `{probe.path}`"]
        cells += [probe.expect[role] for role in ROLES]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


LEGEND = """\
Answers: a status code; `login` = sent to a login page; `denied` = Wagtail's "no
permission" redirect; `s3` = a presigned link to the file. Out of scope is 404, exactly
like a missing id; visible but not allowed is 403.
"""

if __name__ == "__main__":
    sys.stdout.write(LEGEND + "\n" + markdown() + "\n")
