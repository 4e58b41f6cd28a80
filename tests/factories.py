"""factory_boy factories shared by the suite. Plain defaults, no hidden side effects."""

from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True


# --- challenges -------------------------------------------------------------------------
class ChallengeFactory(factory.django.DjangoModelFactory):
    """A challenge with no phases; use ``with_phases`` for a timeline around now."""

    class Meta:
        model = "challenges.Challenge"

    title = factory.Sequence(lambda n: f"Tanlov {n}")
    slug = factory.Sequence(lambda n: f"tanlov-{n}")
    kind = "innovation"
    organiser = "UNDP Uzbekistan"


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.Phase"

    challenge = factory.SubFactory(ChallengeFactory)
    kind = "submission"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


def with_phases(challenge, *, now=None, status="open"):
    """Give ``challenge`` a five-phase timeline so that it is ``status`` at ``now``."""
    now = now or timezone.now()
    day = timedelta(days=1)
    # offsets (in days) of each phase's start relative to now, per wanted status
    starts = {
        "upcoming": [5, 15, 30, 40, 50],
        "open": [-20, -10, 10, 20, 30],
        "judging": [-40, -30, -5, 20, 30],
        "closed": [-90, -80, -60, -40, -20],
    }[status]
    kinds = ["registration", "submission", "judging", "results", "incubation"]
    lengths = [10 * day, 20 * day, 10 * day, 10 * day, 100 * day]
    for kind, start, length in zip(kinds, starts, lengths, strict=True):
        PhaseFactory(
            challenge=challenge,
            kind=kind,
            starts_at=now + start * day,
            ends_at=now + start * day + length,
        )
    return challenge


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.Track"

    challenge = factory.SubFactory(ChallengeFactory)
    name = factory.Sequence(lambda n: f"Yoʻnalish {n}")
    name_en = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


# --- submissions ------------------------------------------------------------------------
class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Profile"

    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda p: f"{p.user.first_name} {p.user.last_name}")
    birth_date = date(2002, 5, 17)
    gender = "female"
    region = factory.LazyFunction(lambda: _region("UZ-TK"))
    consent_terms = True
    consent_privacy = True


def _region(code):
    from challenges.models import Region

    return Region.objects.get_or_create(code=code, defaults={"name": code})[0]


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Team"
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory)
    name = factory.Sequence(lambda n: f"Jamoa {n}")
    lead = factory.SubFactory(UserFactory)

    @factory.post_generation
    def lead_membership(self, create, extracted, **kwargs):
        if create:
            from submissions.models import TeamMembership

            TeamMembership.objects.get_or_create(
                team=self, challenge=self.challenge, user=self.lead, defaults={"role": "member"}
            )


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Submission"

    challenge = factory.SubFactory(ChallengeFactory)
    team = factory.SubFactory(TeamFactory, challenge=factory.SelfAttribute("..challenge"))
    owner = factory.LazyAttribute(lambda s: s.team.lead if s.team else UserFactory())
    title = factory.Sequence(lambda n: f"Loyiha {n}")
    summary = "A volunteer-matching app for elderly people in the mahalla."


# --- incubation -------------------------------------------------------------------------
class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort with the default stages and KPIs, monthly reports from January 2026."""

    class Meta:
        model = "incubation.Cohort"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Inkubatsiya {n}")
    name_en = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = date(2026, 1, 1)
    ends_on = date(2026, 12, 31)

    @factory.post_generation
    def defaults(self, create, extracted, **kwargs):
        if create:
            from incubation.services.cohorts import ensure_defaults

            ensure_defaults(cohort=self)

    @factory.post_generation
    def challenges(self, create, extracted, **kwargs):
        if create and extracted:
            for challenge in extracted:
                challenge.cohorts.add(self)
