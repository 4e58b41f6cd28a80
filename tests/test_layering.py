"""The dependency direction of DESIGN.md, read from every import in the code (local ones too).

``cms`` may use every domain app; domain apps never import ``cms`` or Wagtail's page models;
``judging`` → ``submissions`` → ``challenges``, never the other way; ``core`` and
``notifications`` are infrastructure that knows no domain app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {
    "core",
    "notifications",
    "challenges",
    "submissions",
    "judging",
    "certificates",
    "incubation",
    "broadcasts",
    "reporting",
    "hackathons",
    "cms",
    "config",
    "api",
}
# What each app may import from the project (besides itself).
ALLOWED = {
    "core": set(),
    "notifications": {"core"},
    "challenges": {"core"},
    "submissions": {"core", "notifications", "challenges"},
    "judging": {"core", "notifications", "challenges", "submissions"},
    "incubation": {"core", "notifications", "challenges", "submissions"},
    "certificates": {
        "core",
        "notifications",
        "challenges",
        "submissions",
        "judging",
        "incubation",
        "hackathons",
    },
    # Hackathon events: registration, teammates, check-in; builds on teams (submissions).
    "hackathons": {"core", "notifications", "challenges", "submissions"},
    # The read-only public API: it reads the domain apps; cms answers it through a hook.
    "api": {"core", "challenges", "submissions", "judging", "certificates", "incubation"},
    "broadcasts": {"core", "notifications", "challenges", "submissions", "judging", "incubation"},
    # Open data: the dashboard's figures, published challenges and results, suppressed.
    "opendata": {
        "core",
        "challenges",
        "submissions",
        "judging",
        "certificates",
        "reporting",
        "api",
    },
    "reporting": {
        "core",
        "notifications",
        "challenges",
        "submissions",
        "judging",
        "certificates",
        "incubation",
        "voting",
    },
}
# Wagtail's page machinery: only cms (and config's URLconf) may touch it.
PAGE_MODULES = (
    "wagtail.models",
    "wagtail.fields",
    "wagtail.blocks",
    "wagtail.contrib.routable_page",
)
PAGE_NAMES = {"Page", "StreamField", "RichTextField", "RoutablePageMixin"}


def imports(app):
    """``(file, line, module, names)`` for every import statement in ``app``'s code."""
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{node.lineno}" if hasattr(node, "lineno") else ""
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield where, alias.name, set()
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield where, node.module, {alias.name for alias in node.names}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_domain_apps_import_only_what_they_build_on(app):
    wrong = [
        f"{where} imports {module}"
        for where, module, _names in imports(app)
        if (top := module.split(".")[0]) in PROJECT and top != app and top not in ALLOWED[app]
    ]
    assert wrong == []


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_domain_apps_never_import_wagtail_page_models(app):
    wrong = [
        f"{where} imports {module} {sorted(names)}"
        for where, module, names in imports(app)
        if module.startswith(PAGE_MODULES) and (names & PAGE_NAMES or not names)
    ]
    assert wrong == []


def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    """The reader itself works: a planted upward import is found."""
    app = tmp_path / "challenges"
    app.mkdir()
    (app / "services.py").write_text(
        "def f():\n    from judging.models import Round\n    from wagtail.models import Page\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    found = list(imports("challenges"))
    assert [m for _w, m, _n in found] == ["judging.models", "wagtail.models"]
    with pytest.raises(AssertionError):
        test_domain_apps_import_only_what_they_build_on("challenges")
    with pytest.raises(AssertionError):
        test_domain_apps_never_import_wagtail_page_models("challenges")


@pytest.mark.parametrize("app", sorted(PROJECT))
def test_production_code_does_not_depend_on_the_demo(app):
    """The demo loaders publish pages and create accounts without moderation: only the
    demo itself and its management command may use them."""
    offenders = []
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or relative.startswith("cms/demo/"):
            continue
        if relative.startswith(tuple(f"{a}/management/commands/" for a in PROJECT)):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against the file's package
                    package = relative.rsplit("/", 1)[0].split("/")
                    package = package[: len(package) - node.level + 1]
                    base = ".".join([*package, base] if base else package)
                modules = [base] + [f"{base}.{alias.name}" for alias in node.names]
            if any(m == "cms.demo" or m.startswith("cms.demo.") for m in modules):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


def test_settings_are_read_from_config_not_defaulted_where_used():
    """Every setting has its one default in config/settings; code reads ``settings.X``."""
    offenders = [
        f"{path.relative_to(ROOT)}"
        for app in sorted(PROJECT - {"config"})
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "getattr(settings" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_staff_views_live_in_each_apps_admin_views_module():
    """One convention: an app's staff pages (in the Wagtail admin or under its /staff/
    URLs) are in ``<app>/admin_views.py``; ``views.py`` is for participants, jurors, mentors."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    misplaced = [
        f"{route} → {callback.__module__}"
        for route, callback in walk(get_resolver().url_patterns)
        if "staff/" in route
        and callback.__module__.split(".")[0] in PROJECT
        and not callback.__module__.endswith(".admin_views")
    ]
    assert misplaced == []
    assert not list(ROOT.glob("*/staff_views.py"))
