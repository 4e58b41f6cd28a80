"""The rules layer is the one place access is decided: every registered permission is
asked somewhere, and nothing outside the layer decides access on its own."""

import re
from pathlib import Path

import pytest
import rules.permissions

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "challenges",
    "submissions",
    "judging",
    "certificates",
    "incubation",
    "notifications",
    "voting",
    "broadcasts",
    "reporting",
    "hackathons",
]
SOURCES = [
    path
    for app in [*APPS, "cms", "core", "templates", "opendata", "api"]
    for path in (ROOT / app).rglob("*")
    if path.suffix in {".py", ".html"} and "migrations" not in path.parts
]


def _code(path):
    return path.read_text(encoding="utf-8")


def test_every_registered_permission_is_asked_for_outside_its_rules_module():
    names = sorted(rules.permissions.permissions.keys())
    assert len(names) >= 15  # every app registered its rules (autodiscovery ran)
    code = "\n".join(_code(p) for p in SOURCES)
    # Once where it is registered, and at least once where it is asked (a service, a view,
    # a template, or another app's rule composing it).
    unused = [name for name in names if code.count(f'"{name}"') < 2]
    assert unused == [], f"registered but never checked: {unused}"


def test_every_app_with_objects_people_own_has_rules():
    for app in APPS:
        assert (ROOT / app / "rules.py").exists(), app


@pytest.mark.parametrize(
    "pattern",
    [
        r"\.has_perm\(",  # Django's has_perm says yes to every superuser: ask core.access
        r"raise PermissionDenied",  # the layer raises core.errors.NotAllowed
        r"managed_by\([^)]*\)\.filter\(pk=",  # an inline "does this person manage it?"
        r"def ensure_manager|def _check_manager|def _require_staff|def ensure_juror_may",
    ],
)
def test_no_access_decision_outside_the_rules_layer(pattern):
    offenders = [
        str(path.relative_to(ROOT))
        for path in SOURCES
        if path.suffix == ".py"
        and path.name != "rules.py"
        and path.relative_to(ROOT).as_posix() != "core/access.py"
        and re.search(pattern, _code(path))
    ]
    assert offenders == []
