"""Dates a person could really mean (core.validators): a birth date in 1800 or a grant in
year 1 is refused with a translated reason and nothing saved, on every form that takes it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.validators import birth_date_window, programme_date_window
from incubation.models import Milestone, Support
from submissions.models import Profile
from tests.factories import ChallengeFactory, CohortFactory, SuperuserFactory, UserFactory
from tests.incubation.conftest import make_project
from tests.submissions.test_views import _profile_data

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_birth_dates_run_from_a_hundred_years_ago_to_yesterday():
    assert birth_date_window(TODAY) == (dt.date(1926, 12, 3), dt.date(2026, 12, 2))
    # 1900 had no 29 February.
    assert birth_date_window(dt.date(2000, 2, 29)) == (dt.date(1900, 2, 28), dt.date(2000, 2, 28))


def test_programme_dates_run_from_2000_to_ten_years_ahead():
    assert programme_date_window(TODAY) == (dt.date(2000, 1, 1), dt.date(2036, 12, 3))
    assert programme_date_window(dt.date(2028, 2, 29))[1] == dt.date(2038, 2, 28)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("birth_date", "reason"),
    [
        ("0001-01-01", "this date of birth is more than 100 years ago"),
        ("1800-01-01", "this date of birth is more than 100 years ago"),
        ("tomorrow", "The date of birth must be in the past."),
        ("today", "The date of birth must be in the past."),
    ],
)
def test_an_implausible_birth_date_is_refused_and_no_profile_saved(client, birth_date, reason):
    today = timezone.localdate()
    day = {"today": today, "tomorrow": today + dt.timedelta(days=1)}.get(birth_date, birth_date)
    client.force_login(UserFactory())

    answer = client.post(reverse("submissions:profile"), _profile_data(birth_date=str(day)))

    assert reason in answer.content.decode()
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_a_birth_date_a_hundred_years_ago_is_accepted(client):
    earliest, _latest = birth_date_window()
    client.force_login(UserFactory())

    client.post(reverse("submissions:profile"), _profile_data(birth_date=earliest.isoformat()))

    assert Profile.objects.get().birth_date == earliest


@pytest.fixture
def project(db):
    return make_project(CohortFactory(challenges=[ChallengeFactory()]))


def _ahead(years):
    today = timezone.localdate()
    return today.replace(year=today.year + years, day=min(today.day, 28))


@pytest.mark.django_db
@pytest.mark.parametrize("given_on", [dt.date(1, 1, 1), dt.date(1999, 12, 31), _ahead(11)])
def test_support_on_an_implausible_date_is_refused_and_not_recorded(client, project, given_on):
    client.force_login(SuperuserFactory())

    answer = client.post(
        reverse("incubation_admin:support_add", args=[project.pk]),
        {
            "kind": "grant",
            "title": "Tranche",
            "currency": "UZS",
            "given_on": given_on,
            "language": "en",  # the project page's language, which the action goes back to
        },
        follow=True,
    )

    assert "Enter a date between" in answer.content.decode()
    assert not Support.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("due_on", [dt.date(1, 1, 1), _ahead(11)])
def test_a_milestone_due_on_an_implausible_date_is_refused(client, project, due_on):
    client.force_login(SuperuserFactory())

    answer = client.post(
        reverse("incubation_admin:milestone_add", args=[project.pk]),
        {"title": "Pilot", "due_on": due_on, "language": "en"},
        follow=True,
    )

    assert "Enter a date between" in answer.content.decode()
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_support_on_a_plausible_date_is_recorded(client, project):
    client.force_login(SuperuserFactory())

    client.post(
        reverse("incubation_admin:support_add", args=[project.pk]),
        {"kind": "grant", "title": "Tranche", "currency": "UZS", "given_on": "2026-03-01"},
    )

    assert Support.objects.get().given_on == dt.date(2026, 3, 1)
