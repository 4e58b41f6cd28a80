import pytest

from incubation.models import Cohort
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_staff_create_cohort_in_admin_with_default_stages(client, challenge, superuser):
    client.force_login(superuser)

    response = client.post(
        "/admin/incubation_cohort/new/",
        {
            "name": "COVID-19 inkubatsiya",
            "name_ru": "",
            "name_en": "COVID-19 incubation",
            "starts_on": "2020-09-01",
            "ends_on": "2021-08-31",
            "report_every_months": "1",
            "time_zone": "Asia/Tashkent",
            "challenges": [challenge.pk],
            "stages-TOTAL_FORMS": "0",
            "stages-INITIAL_FORMS": "0",
            "stages-MIN_NUM_FORMS": "0",
            "stages-MAX_NUM_FORMS": "1000",
            "kpis-TOTAL_FORMS": "0",
            "kpis-INITIAL_FORMS": "0",
            "kpis-MIN_NUM_FORMS": "0",
            "kpis-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    cohort = Cohort.objects.get(name_en="COVID-19 incubation")
    assert list(cohort.stages.values_list("slug", flat=True)) == [
        "onboarding",
        "prototype",
        "pilot",
        "scale",
        "graduated",
        "dropped",
    ]
    assert list(challenge.cohorts.all()) == [cohort]
    assert cohort.kpis.count() == 5


def test_admin_cohort_of_another_challenge_answers_404(client, cohort, manager):
    other = ChallengeFactory()
    from tests.factories import CohortFactory

    foreign = CohortFactory(challenges=[other])
    from django.contrib.auth.models import Group

    manager.groups.add(Group.objects.get(name="Challenge managers"))
    client.force_login(manager)

    listing = client.get("/admin/incubation_cohort/")
    # Django's LocaleMiddleware turns an unprefixed 404 into a redirect; follow it.
    foreign_edit = client.get(f"/admin/incubation_cohort/edit/{foreign.pk}/", follow=True)

    assert listing.status_code == 200
    assert cohort.display_name in listing.content.decode()
    assert foreign.display_name not in listing.content.decode()
    assert foreign_edit.status_code == 404
