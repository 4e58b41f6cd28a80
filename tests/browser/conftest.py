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
