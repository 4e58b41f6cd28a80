#!/usr/bin/env bash
# `make audit` and .ci/run: pip-audit over the installed, pinned set (`pip install -e ".[dev]"`
# from pyproject.toml's exact pins; `make install` keeps .venv in step with them).
#
# Exit 1 when a package has a known vulnerability that a newer release fixes (upgrade the
# pin); vulnerabilities without a fixed release are listed and do not fail. pip-audit asks a
# vulnerability service over the network: PyPI's JSON API, or OSV. Before auditing, this
# script asks the service about a release known to be vulnerable (Django 3.2); when no
# service answers with that vulnerability data (no network, a mirror that serves only the
# package index), it prints "vulnerability service unreachable — not audited" and exits 0,
# so that a machine without access says so instead of passing silently.
# TANLOV_AUDIT_REQUIRED=1 turns that case into a failure (exit 2).
#
# TANLOV_AUDIT_SERVICE=pypi|osv picks one service (default: PyPI, else OSV);
# TANLOV_OSV_URL points at another OSV API (default https://api.osv.dev/v1/query);
# TANLOV_AUDIT_PYTHON is the interpreter whose packages are audited (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${TANLOV_AUDIT_PYTHON:-.venv/bin/python}
OSV_URL=${TANLOV_OSV_URL:-https://api.osv.dev/v1/query}
SERVICES=${TANLOV_AUDIT_SERVICE:-pypi osv}

if ! "$PY" -c "import pip_audit" 2>/dev/null; then
    echo "audit: pip-audit is not installed in $PY; run: make install" >&2
    exit 2
fi

# Does $1 (pypi|osv) answer with vulnerability data? The canary must come back vulnerable.
answers() {
    "$PY" - "$1" "$OSV_URL" <<'EOF'
import sys

import requests

service, osv_url = sys.argv[1], sys.argv[2]
try:
    if service == "pypi":
        answer = requests.get("https://pypi.org/pypi/Django/3.2/json", timeout=10)
        vulns = answer.json().get("vulnerabilities") if answer.status_code == 200 else None
    else:
        query = {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "3.2"}
        answer = requests.post(osv_url, json=query, timeout=10)
        vulns = answer.json().get("vulns") if answer.status_code == 200 else None
except (requests.RequestException, ValueError) as exc:
    print(f"audit: {service}: {type(exc).__name__}", file=sys.stderr)
    sys.exit(1)
if not vulns:
    print(f"audit: {service}: no vulnerability data (HTTP {answer.status_code})", file=sys.stderr)
    sys.exit(1)
EOF
}

service=""
for candidate in $SERVICES; do
    if answers "$candidate"; then
        service=$candidate
        break
    fi
done
if [[ -z $service ]]; then
    echo "=== audit: vulnerability service unreachable — not audited (tried: $SERVICES) ==="
    [[ "${TANLOV_AUDIT_REQUIRED:-0}" == "1" ]] && exit 2
    exit 0
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
args=(-s "$service" --skip-editable --progress-spinner off --desc off -f json -o "$report")
[[ $service == osv ]] && args+=(--osv-url "$OSV_URL")
echo "=== audit: pip-audit against $service ==="
rc=0
"$PY" -m pip_audit "${args[@]}" || rc=$?
if [[ ! -s $report ]]; then
    echo "audit: pip-audit failed (exit $rc) before it could report" >&2
    exit 2
fi

"$PY" - "$report" <<'EOF'
import json
import sys

with open(sys.argv[1]) as handle:
    report = json.load(handle)
audited = [d for d in report["dependencies"] if "skip_reason" not in d]
fixable = unfixed = 0
for dependency in report["dependencies"]:
    for vuln in dependency.get("vulns", []):
        fixes = ", ".join(vuln.get("fix_versions") or [])
        if fixes:
            fixable += 1
        else:
            unfixed += 1
        names = " ".join([vuln["id"], *vuln.get("aliases", [])])
        outcome = f"fixed in {fixes}" if fixes else "no fixed release yet"
        print(f"{dependency['name']} {dependency['version']}: {names} ({outcome})")
for dependency in report["dependencies"]:
    if "skip_reason" in dependency:
        print(f"skipped {dependency['name']}: {dependency['skip_reason']}")
print(
    f"audit: {len(audited)} packages audited; {fixable} vulnerabilities with a fixed "
    f"release, {unfixed} without"
)
sys.exit(1 if fixable else 0)
EOF
