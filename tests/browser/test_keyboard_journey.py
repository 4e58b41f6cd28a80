"""One journey with the keyboard alone, on a phone, in Uzbek: a participant arrives on the
home page, skips to the content, signs in, opens their entry and switches it to Russian.

On every page: the first Tab reaches the skip link, which moves focus to ``<main>``; every
element Tab reaches shows its focus (an outline or a box-shadow, computed); Tab leaves every
widget and goes round the whole page back to the skip link (no keyboard trap); axe-core
finds no violation (``checkpoint``)."""

import re

import pytest

from tests import factories
from tests.submissions.builders import open_challenge, team_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The element that has focus, marked with a number so that it is known again, and whether
#: its focus shows (computed styles: an outline with a width, or a box-shadow).
_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    if (!e.dataset.kb) { window.__kb = (window.__kb || 0) + 1; e.dataset.kb = window.__kb; }
    const style = getComputedStyle(e);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    const box = e.getBoundingClientRect();
    return {
        id: e.dataset.kb,
        tag: e.tagName.toLowerCase(),
        text: (e.innerText || e.value || e.name || e.id || "").trim().slice(0, 60),
        classes: e.className || "",
        shows: outline || shadow,
        sized: box.width > 0 && box.height > 0,
    };
}"""

MAX_STOPS = 150


def _focused(page):
    return page.evaluate(_FOCUSED)


def _assert_shows(stop, page):
    assert stop["shows"], f"focus not visible on {stop} ({page.url})"
    assert stop["sized"], f"focused element has no size: {stop} ({page.url})"


def _start(page):
    """Focus back to the start of the document, as after loading it."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(
        "() => { const a = document.createElement('span'); a.tabIndex = -1;"
        " document.body.prepend(a); a.focus(); a.remove(); }"
    )


def go_round(page):
    """Tab through the whole page from its start; returns the stops (in order).

    The first stop is the skip link; every stop shows its focus; each Tab moves focus on
    (no trap); Tab comes back round to the skip link."""
    _start(page)
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first is not None, page.url
    assert "skip-link" in first["classes"], f"the first Tab stop is not the skip link: {first}"
    _assert_shows(first, page)
    stops, outside = [first], 0
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop is None:  # past the last element, in the browser's own controls
            outside += 1
            assert outside <= 3, f"focus left the page for good after {stops[-1]}"
            continue
        if stop["id"] == first["id"]:
            return stops
        if len(stops) > 2 and stop["id"] == stops[1]["id"]:
            # Wrapping round, Chromium sometimes resumes at the element after the skip
            # link (its focus-navigation starting point): the round is closed all the same.
            return stops
        assert stop["id"] != stops[-1]["id"], f"Tab did not leave {stop} ({page.url})"
        assert stop["id"] not in {s["id"] for s in stops}, f"Tab came back to {stop} early"
        _assert_shows(stop, page)
        stops.append(stop)
    pytest.fail(f"Tab never came back round to the skip link on {page.url}: {stops[-5:]}")


def skip_to_main(page):
    _start(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", page.url


def tab_to(page, text, *, limit=MAX_STOPS):
    """Press Tab until the focused element says ``text``; returns that stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = _focused(page)
        if stop is not None:
            _assert_shows(stop, page)
            if text in stop["text"]:
                return stop
    pytest.fail(f"Tab never reached “{text}” on {page.url}")


def test_a_participant_signs_in_opens_their_entry_and_switches_language_by_keyboard(
    live_server, page, home_pages, checkpoint, uz
):
    entry = team_entry(open_challenge(), title="Mehr — koʻngillilar")
    user = entry.owner

    def arrive(name, pattern):
        page.wait_for_url(re.compile(pattern))
        page.wait_for_load_state()
        checkpoint(page, name)
        stops = go_round(page)
        assert len(stops) > 3, stops

    # The home page: the skip link first, to <main>; the whole page goes round.
    page.goto(f"{live_server.url}/uz/")
    arrive("home", r".*/uz/$")
    skip_to_main(page)

    # To "Sign in" (in the header, before <main>: from the start), and in.
    _start(page)
    tab_to(page, uz("Sign in"))
    page.keyboard.press("Enter")
    arrive("login", r".*/uz/accounts/login/")
    skip_to_main(page)
    assert tab_to(page, "")["tag"] == "a"  # the first stop in <main>: the sign-up link
    field = tab_to(page, "login")
    assert field["tag"] == "input"
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")

    # Home again, signed in; the dashboard from the header; the entry, by its title.
    arrive("signed-in", r".*/uz/$")
    _start(page)
    tab_to(page, uz("My dashboard"))
    page.keyboard.press("Enter")
    arrive("dashboard", r".*/uz/me/$")
    skip_to_main(page)
    tab_to(page, "Mehr — koʻngillilar")
    page.keyboard.press("Enter")
    arrive("entry", rf".*/uz/me/entry/{entry.pk}/$")

    # The same page in Russian, from the language switcher.
    _start(page)
    tab_to(page, "RU")
    page.keyboard.press("Enter")
    arrive("entry-ru", rf".*/ru/me/entry/{entry.pk}/$")
    assert page.evaluate("document.documentElement.lang") == "ru"
