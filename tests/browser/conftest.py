from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Reports every Content-Security-Policy violation of any document in the tab to the test.
# An init script runs before the page's own scripts, in every document and frame.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__tanlovCspViolation({
        page: location.href,
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile + ":" + event.lineNumber,
        sample: event.sample,
    });
});
"""


@pytest.fixture(autouse=True)
def csp_violations(page):
    """Fail the test when a page breaks its Content-Security-Policy.

    The browser tests run with the site's real policy (core/headers.py); a blocked script,
    style, upload or form shows up here, whether or not the test noticed the breakage.
    """
    violations = []
    page.context.expose_binding(
        "__tanlovCspViolation", lambda _source, report: violations.append(report)
    )
    page.context.add_init_script(_REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append({"console": message.text})
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield violations
    if violations:
        pytest.fail(f"Content-Security-Policy violations: {violations}")


@pytest.fixture
def axe_source():
    """axe-core's script; a missing one fails the test (``make test`` installs it)."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core not found at {AXE}: run `make test` (installs it) or `npm install`",
            pytrace=False,
        )
    return AXE


@pytest.fixture
def inject_axe(axe_source):
    """Load axe-core into the current page, the way the page's policy allows.

    A ``<script>`` tag (Playwright's ``add_script_tag``) is inline script and the site's
    policy blocks it; ``page.evaluate`` runs through the DevTools protocol, which the
    policy does not govern, and nothing is relaxed for the page itself.
    """
    source = axe_source.read_text(encoding="utf-8")

    def inject(page):
        page.evaluate(f"() => {{ {source}\n }}")
        assert page.evaluate("typeof window.axe") == "object"

    return inject


@pytest.fixture
def axe_violations(inject_axe):
    """``check(page)``: axe-core's WCAG 2.2 A/AA violations on the page, as (rule, targets)."""

    def check(page):
        inject_axe(page)
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']})"
        )
        return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]

    return check


@pytest.fixture
def sign_in(live_server, page):
    """``sign_in(user, context=page.context)``: the browser context holds ``user``'s session
    (a session made by Django's test client: no login form, no password typed)."""
    from django.test import Client

    def sign(user, context=None):
        context = context or page.context
        client = Client()
        client.force_login(user)
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign


# --- journeys: axe and screenshots on every page, no English on a translated page -------
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts"
WIDTHS = (360, 1280)


@pytest.fixture
def checkpoint(request, axe_violations):
    """``checkpoint(page, name)``: the page has no WCAG 2.2 A/AA violation (axe-core, at
    the width it is shown at), and is saved as full-page screenshots at 360 and 1280 px in
    ``var/artifacts/<test>/`` (git-ignored; CI keeps the folder as the job's artefact)."""
    import shutil

    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    seen = []

    def check(page, name):
        page.wait_for_load_state()
        # Colours read mid-animation (a message fading in) are not the page's colours.
        page.evaluate(
            """() => Promise.race([
                new Promise((done) => setTimeout(done, 2000)),
                Promise.all(document.getAnimations()
                    .filter((a) => a.playState === "running"
                        && a.effect && a.effect.getTiming().iterations !== Infinity)
                    .map((a) => a.finished.catch(() => null))),
            ])"""
        )
        violations = axe_violations(page)
        assert violations == [], f"{name} ({page.url}): {violations}"
        # axe-core no longer counts a duplicate id under WCAG 2.2; a label then names
        # another field, so it counts here.
        twice = page.evaluate(
            """() => { const seen = new Map();
                document.querySelectorAll("[id]").forEach((e) =>
                    seen.set(e.id, (seen.get(e.id) || 0) + 1));
                return [...seen].filter(([, n]) => n > 1).map(([id]) => id); }"""
        )
        assert twice == [], f"{name} ({page.url}): ids used twice: {twice}"
        size = page.viewport_size
        seen.append(name)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            page.screenshot(path=folder / f"{len(seen):02d}-{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)

    check.folder = folder
    check.seen = seen
    return check


@pytest.fixture(scope="session")
def english_phrases():
    """The English UI phrases that have an Uzbek translation (every catalogue Django loads
    for uz: the project's, allauth's, Django's, Wagtail's): on an Uzbek page none of them
    may show. Only phrases of two words or more without placeholders: a single word
    ("PDF", "Email") may well be Uzbek too."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("uz")._catalog
    phrases = set()
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgstr or msgstr == msgid:
            continue
        if "%" in msgid or "{" in msgid or "\n" in msgid or len(msgid.split()) < 2:
            continue
        phrases.add(msgid)
    return phrases


@pytest.fixture
def assert_uzbek(live_server, english_phrases):
    """``assert_uzbek(page)``: the page is at ``/uz/…`` and shows no English UI phrase."""

    def check(page):
        path = page.url.removeprefix(live_server.url)
        assert path.startswith("/uz/"), page.url
        text = page.locator("body").inner_text()
        english = sorted(phrase for phrase in english_phrases if phrase in text)
        assert english == [], f"English on {page.url}: {english}"

    return check


# --- uploads ----------------------------------------------------------------------------
@pytest.fixture
def pitch_pdf(tmp_path):
    """``pitch_pdf(name)``: a real (if plain) PDF of ~300 KB, so that an upload takes
    several progress events; returns (path, size)."""

    def make(name="Loyiha taqdimoti.pdf"):
        body = b"%PDF-1.4\n" + b"% padding\n" * 30_000 + b"trailer<<>>\n%%EOF\n"
        path = tmp_path / name
        path.write_bytes(body)
        return path, len(body)

    return make


# Remembers, across the reload that follows an upload, every value the progress bar showed
# and whether the bar was visible (not hidden) when it showed it.
_WATCH_PROGRESS = """() => {
    const percent = document.querySelector('.upload-percent');
    new MutationObserver(() => {
        const seen = JSON.parse(sessionStorage.getItem('progress') || '[]');
        const bar = document.querySelector('#upload-progress');
        seen.push({value: bar.value, visible: bar.checkVisibility()});
        sessionStorage.setItem('progress', JSON.stringify(seen));
    }).observe(percent, {childList: true, characterData: true, subtree: true});
}"""


def upload_with_progress(page, path, button):
    """Upload ``path`` through the entry page's upload form (its script sends it straight to
    S3) by clicking ``button``; returns the progress the page showed, as a list of
    ``{"value", "visible"}`` (the page reloads when the upload is done)."""
    page.evaluate("sessionStorage.removeItem('progress')")
    page.evaluate(_WATCH_PROGRESS)
    page.locator("input[type=file]").first.set_input_files(str(path))
    with page.expect_navigation():
        button.click()
    return page.evaluate("JSON.parse(sessionStorage.getItem('progress') || '[]')")


@pytest.fixture
def upload():
    """``upload(page, path, button)``: see ``upload_with_progress``."""
    return upload_with_progress


@pytest.fixture
def uz():
    """``uz(text)``: ``text`` as an Uzbek page says it; fails when it has no translation."""
    from django.utils import translation
    from django.utils.translation import gettext

    def say(text):
        with translation.override("uz"):
            said = gettext(text)
        assert said != text, f"not translated to Uzbek: {text!r}"
        return said

    return say
