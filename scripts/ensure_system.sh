#!/usr/bin/env bash
# Install the Debian packages Tanlov needs when they are missing (only as root; otherwise
# fail with the exact command to run). Idempotent and quick when everything is there.
# Usage: scripts/ensure_system.sh          what `make run` needs (WeasyPrint, fonts, gettext)
#        scripts/ensure_system.sh --test   plus what the whole suite needs (`make test`):
#                                          Chromium, npm (for axe-core), Redis (worker tests)
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core gettext poppler-utils)
commands=()  # "command:package" pairs: present on PATH counts as installed, however it got there
case "${1:-}" in
    --test | --browser)  # --browser: the old name
        # TANLOV_CHROMIUM (read by tests/conftest.py) names a Chromium installed elsewhere.
        if [[ -z "${TANLOV_CHROMIUM:-}" || ! -x "${TANLOV_CHROMIUM}" ]]; then
            commands+=(chromium:chromium)
        fi
        commands+=(npm:npm redis-server:redis-server)
        ;;
    "") ;;
    *)
        echo "usage: $0 [--test]" >&2
        exit 2
        ;;
esac

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
for pair in "${commands[@]}"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
