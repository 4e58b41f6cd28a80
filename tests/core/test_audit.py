"""scripts/audit.sh (`make audit`): fails on a fixable vulnerability, says so when it cannot ask.

The real services (PyPI's JSON API, OSV) are out of reach of the machines the suite runs on,
so a small OSV server on loopback stands in for OSV; pip-audit itself runs for real over the
installed packages.
"""

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.s3 import free_port

ROOT = Path(__file__).resolve().parents[2]


def _vuln(ident, *, package, fixed=None):
    events = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed else [])
    return {
        "id": ident,
        "summary": "a test vulnerability",
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
            }
        ],
    }


@pytest.fixture
def osv():
    """An OSV API on loopback; ``osv.known[name]`` lists the vulnerabilities it reports."""
    known = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name = query["package"]["name"]
            if (name, query["version"]) == ("django", "3.2"):  # the script's canary
                found = [_vuln("CANARY-1", package="django", fixed="3.2.1")]
            else:
                found = known.get(name, [])
            body = json.dumps({"vulns": found} if found else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.known = known
    server.url = f"http://127.0.0.1:{server.server_port}/v1/query"
    yield server
    server.shutdown()
    server.server_close()


def _audit(url, **environment):
    env = {**os.environ, "TANLOV_AUDIT_SERVICE": "osv", "TANLOV_OSV_URL": url, **environment}
    return subprocess.run(  # noqa: S603 -- our own script
        [ROOT / "scripts" / "audit.sh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_unreachable_service_is_reported_not_passed_silently():
    url = f"http://127.0.0.1:{free_port()}/v1/query"  # nothing listens there

    done = _audit(url)
    assert done.returncode == 0
    assert "vulnerability service unreachable — not audited" in done.stdout

    assert _audit(url, TANLOV_AUDIT_REQUIRED="1").returncode == 2


def test_a_vulnerability_with_a_fixed_release_fails_the_audit(osv):
    osv.known["django"] = [_vuln("TEST-2026-1", package="django", fixed="99.0")]

    done = _audit(osv.url)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "TEST-2026-1 (fixed in 99.0)" in done.stdout
    assert "1 vulnerabilities with a fixed release, 0 without" in done.stdout


def test_a_vulnerability_without_a_fix_is_listed_and_does_not_fail(osv):
    osv.known["celery"] = [_vuln("TEST-2026-2", package="celery")]

    done = _audit(osv.url)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "TEST-2026-2 (no fixed release yet)" in done.stdout
    assert "0 vulnerabilities with a fixed release, 1 without" in done.stdout
