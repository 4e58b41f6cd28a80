"""Crawl the demo site as a visitor would: every page answers, passes axe-core's WCAG 2.2 AA
rules, stays light, and asks nothing of third parties."""

import contextlib
import os
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES = int(os.environ.get("TANLOV_CRAWL_PAGES", "80"))
MAX_PAGE_BYTES = 600 * 1024  # HTML + CSS + JS + images of one page, uncompressed
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/i18n/", "/static/", "/media/")
SKIP_SUFFIXES = (".pdf", ".csv", ".xml", ".txt", ".json", ".zip", ".xlsx")


@pytest.fixture
def demo_site(db, s3_server):
    call_command("load_demo", force=True, verbosity=0)


def _crawlable(url, origin):
    parsed = urlparse(url)
    if f"{parsed.scheme}://{parsed.netloc}" != origin:
        return False
    if parsed.path.startswith(SKIP_PREFIXES) or parsed.path.endswith(SKIP_SUFFIXES):
        return False
    return "logout" not in parsed.path


def test_public_pages_are_reachable_accessible_light_and_local(
    live_server, demo_site, page, inject_axe
):
    origin = live_server.url
    foreign, weights, failures, violations = [], {}, [], {}
    current = {"bytes": 0}

    def on_response(response):
        # Redirects and aborted responses have no body.
        with contextlib.suppress(Exception):
            current["bytes"] += len(response.body())

    page.on(
        "request", lambda r: None if r.url.startswith((origin, "data:")) else foreign.append(r.url)
    )
    page.on("response", on_response)

    queue = deque(f"{origin}/{code}/" for code in ("uz", "ru", "en"))
    seen = set(queue)
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        current["bytes"] = 0
        response = page.goto(url)
        visited += 1
        if response is None or response.status >= 400:
            failures.append((url, response.status if response else None))
            continue
        page.wait_for_load_state("load")
        weights[url] = current["bytes"]
        inject_axe(page)
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
        )
        for violation in result["violations"]:
            violations.setdefault(violation["id"], []).append(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = urldefrag(urljoin(url, href))[0]
            if link not in seen and _crawlable(link, origin):
                seen.add(link)
                queue.append(link)

    assert visited >= 3
    assert failures == []
    assert violations == {}
    assert foreign == []
    heavy = {url: size for url, size in weights.items() if size > MAX_PAGE_BYTES}
    assert heavy == {}
