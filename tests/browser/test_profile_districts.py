"""The profile's district list in headless Chromium: with its script it offers only the
chosen region's districts and follows the region; the choice is saved."""

import pytest

from challenges.services.regions import ensure_regions
from submissions.models import Profile
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_district_list_follows_the_region(sign_in, live_server, page, inject_axe):
    regions = ensure_regions()
    karakalpakstan, tashkent = regions["UZ-QR"], regions["UZ-TK"]
    user = UserFactory()
    sign_in(user)

    def offered():
        return page.locator("#id_district option[data-region]").evaluate_all(
            "options => options.map(o => o.dataset.region)"
        )

    page.goto(f"{live_server.url}/en/me/profile/")
    assert len(set(offered())) == 14  # no region yet: every district, grouped by region
    page.select_option("#id_region", str(karakalpakstan.pk))
    assert offered() == [str(karakalpakstan.pk)] * 17
    page.select_option("#id_district", label="Nukus city")
    page.select_option("#id_region", str(tashkent.pk))
    assert offered() == [str(tashkent.pk)] * 12
    assert page.input_value("#id_district") == ""  # Nukus is not in Tashkent
    page.select_option("#id_region", str(karakalpakstan.pk))
    page.select_option("#id_district", label="Nukus city")
    page.get_by_label("Full name").fill("Aziza Karimova")
    page.get_by_label("Date of birth").fill("2001-04-05")
    page.get_by_label("I accept the terms").check()
    page.get_by_label("I accept the privacy notice").check()
    inject_axe(page)
    result = page.evaluate("() => axe.run('form', {runOnly: ['wcag2a', 'wcag2aa']})")
    assert [v["id"] for v in result["violations"]] == []

    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state()

    profile = Profile.objects.select_related("district").get(user=user)
    assert (profile.region, profile.district.code) == (karakalpakstan, "UZ-QR-nukus-city")
    assert profile.disability == ""
