import pytest

from challenges.models import Challenge
from incubation.services.projects import incubate_submission
from tests.factories import (
    ChallengeFactory,
    CohortFactory,
    SubmissionFactory,
    SuperuserFactory,
)


def make_project(cohort, *, by=None, title=None, **submission_fields):
    """A winning entry of the cohort's first challenge, incubated through the service."""
    challenge = Challenge.objects.filter(cohorts=cohort).first()
    fields = {"status": "winner", **submission_fields}
    if title:
        fields["title"] = title
    submission = SubmissionFactory(challenge=challenge, **fields)
    return incubate_submission(cohort=cohort, submission=submission, by=by)


@pytest.fixture
def challenge(db):
    return ChallengeFactory(title="COVID-19 Challenge", slug="covid-19")


@pytest.fixture
def manager(manager, challenge):
    """tests/conftest.py's manager, managing this package's challenge; the staff pages are
    in the Wagtail admin, which speaks English to them here (the tests read English)."""
    challenge.managers.add(manager)
    _admin_in_english(manager)
    return manager


@pytest.fixture
def cohort(challenge):
    return CohortFactory(challenges=[challenge], name_en="COVID-19 winners")


@pytest.fixture
def superuser(db):
    return _admin_in_english(SuperuserFactory(username="root"))


def _admin_in_english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user
