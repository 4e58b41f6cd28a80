"""The programme dashboard in a browser: accessible (axe-core), at 1280 and 360 px."""

import pytest
from django.contrib.auth.models import Permission

from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.reporting.helpers import known_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_is_accessible_at_1280_and_360_px(sign_in, live_server, page, checkpoint):
    world = known_world()
    manager = factories.UserFactory(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
    world["a"].managers.add(manager)
    world["b"].managers.add(manager)
    sign_in(manager)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/reporting/challenge/{world['a'].pk}/")
    assert page.locator("[data-count=registrations]").inner_text() == "4"
    assert page.locator("svg[role=img]").count() == 12
    assert page.locator("svg .deadline").count() == 1
    page.locator("[data-figure=region] details summary").click()
    assert page.locator("[data-figure=region] table tbody tr").count() == 15  # 14 + not given
    checkpoint(page, "challenge-dashboard")
    # The admin scrolls inside its own frame: the daily chart on its own, for review.
    page.locator("[data-figure=daily]").screenshot(path=ARTIFACTS / "dashboard-daily-1280.png")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/admin/reporting/")
    assert page.locator("[data-count=registrations]").inner_text() == "6"  # A's 4 and B's 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    checkpoint(page, "programme-dashboard-360")
    page.goto(f"{live_server.url}/admin/reporting/challenge/{world['a'].pk}/")
    page.locator("[data-figure=daily]").screenshot(path=ARTIFACTS / "dashboard-daily-360.png")
    page.goto(f"{live_server.url}/admin/reporting/")

    # The partners' report: one click; the task runs at once here (eager), then its page
    # offers the two downloads.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/reporting/challenge/{world['a'].pk}/")
    page.select_option("#id_language", "en")
    page.locator("form[action$='/reports/'] button[type=submit]").click()
    page.wait_for_url("**/admin/reporting/reports/*/")
    assert page.locator("a[href$='/report.pdf']").count() == 1
    checkpoint(page, "partners-report")
    page.goto(f"{live_server.url}/admin/reporting/")

    # The daily chart's numbers download as CSV.
    with page.expect_download() as download:
        page.locator("[data-figure=daily] .reporting-downloads a").first.click()
    assert download.value.suggested_filename == "dashboard-daily.csv"
