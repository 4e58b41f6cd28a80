"""Text meant for screen readers only stays hidden on the staff pages too.

The public site's stylesheet defines ``visually-hidden``; the Wagtail admin's does not (its
class is ``w-sr-only``), so a staff page using the public class showed its hidden labels
("Remind <juror>" next to every checkbox of the judging dashboard)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "var", ".git"}


def _files(pattern):
    for path in ROOT.rglob(pattern):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def test_staff_templates_hide_with_the_admin_class():
    wrong = [
        str(path.relative_to(ROOT))
        for path in _files("*.html")
        if "wagtailadmin/" in (text := path.read_text(encoding="utf-8"))
        and 'class="visually-hidden"' in text
    ]
    assert wrong == []


def test_staff_html_built_in_python_hides_with_the_admin_class():
    wrong = [
        str(path.relative_to(ROOT))
        for path in _files("admin_views.py")
        if "visually-hidden" in path.read_text(encoding="utf-8")
    ]
    assert wrong == []


def test_the_admin_stylesheet_has_the_class():
    import wagtail

    css = Path(wagtail.__file__).parent / "admin/static/wagtailadmin/css/core.css"
    assert ".w-sr-only" in css.read_text(encoding="utf-8")
