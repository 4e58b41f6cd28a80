"""factory_boy factories shared by the suite. Plain defaults, no hidden side effects."""

import io
from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
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
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tanlov {n}")
    slug = factory.Sequence(lambda n: f"tanlov-{n}")
    kind = "innovation"
    organiser = "UNDP Uzbekistan"

    @factory.post_generation
    def entry_form(self, create, extracted, **kwargs):
        """Like a challenge made in the admin, it starts with the default entry form;
        ``entry_form=False`` leaves it without questions."""
        if create and extracted is not False:
            from challenges.services.entry_forms import ensure_default_form

            ensure_default_form(challenge=self)


class EntryFieldFactory(factory.django.DjangoModelFactory):
    """A question on a challenge's entry form (short text unless told)."""

    class Meta:
        model = "challenges.EntryField"

    challenge = factory.SubFactory(ChallengeFactory, entry_form=False)
    label = factory.Sequence(lambda n: f"Savol {n}")
    clean_name = factory.Sequence(lambda n: f"question_{n}")
    field_type = "short_text"
    sort_order = factory.Sequence(lambda n: 100 + n)


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
    answers = factory.LazyFunction(
        lambda: {"summary": "A volunteer-matching app for elderly people in the mahalla."}
    )


class EligibilityExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.EligibilityException"

    challenge = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)
    reason = "Turns 16 a week after the deadline; the jury agreed."
    granted_by = factory.SubFactory(SuperuserFactory)


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


# --- people -----------------------------------------------------------------------------
def participant(*, language="uz", **profile):
    """A user with a participant profile: the one way tests make one.

    ``language`` is the profile's preferred language; ``profile`` sets any other field
    (``phone=…``, ``full_name=…``, ``user=…``).
    """
    return ProfileFactory(preferred_language=language, **profile).user


# The factories below cover every other model of the project's apps (tests/test_factories.py
# checks that none is missing): the smallest valid row, its parents made on the way.


def _png(width=8, height=8):
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), (32, 96, 160)).save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A Wagtail image (a small PNG in the S3 bucket)."""

    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"Rasm {n}")
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(_png()), name="image.png"))


# --- core -------------------------------------------------------------------------------
class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.AuditEntry"

    action = "challenge.updated"
    actor = factory.SubFactory(UserFactory)
    object_type = "challenges.challenge"
    object_id = factory.Sequence(str)


# --- challenges -------------------------------------------------------------------------
class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.Region"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UZ-T{n}")
    name = factory.Sequence(lambda n: f"Viloyat {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.District"
        django_get_or_create = ("code",)

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"UZ-T{n}-district-{n}")
    name = factory.Sequence(lambda n: f"Tuman {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class PrizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.Prize"

    challenge = factory.SubFactory(ChallengeFactory)
    place = 1
    title = "Birinchi oʻrin"
    title_en = "First place"
    amount = Decimal("10000000")
    currency = "UZS"


class FileQuestionFactory(EntryFieldFactory):
    """A file question (an upload slot) of a challenge's entry form."""

    field_type = "file"
    file_kind = "pitch_deck"
    clean_name = factory.LazyAttribute(lambda q: f"file_{q.file_kind}")
    label = "Taqdimot (PDF)"
    required = True
    max_size_mb = 1


# --- submissions ------------------------------------------------------------------------
class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.TeamMembership"

    team = factory.SubFactory(TeamFactory)
    challenge = factory.SelfAttribute("team.challenge")
    user = factory.SubFactory(UserFactory)
    role = "member"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Invitation"

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "member"
    invited_by = factory.SelfAttribute("team.lead")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class SubmissionVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.SubmissionVersion"

    submission = factory.SubFactory(SubmissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    data = factory.LazyAttribute(lambda v: {"title": v.submission.title})
    files = factory.LazyFunction(list)
    created_by = factory.SelfAttribute("submission.owner")


class SubmissionFileFactory(factory.django.DjangoModelFactory):
    """A pending file record (no object in S3: upload one where the test needs the bytes)."""

    class Meta:
        model = "submissions.SubmissionFile"

    submission = factory.SubFactory(SubmissionFactory)
    kind = "pitch_deck"
    key = factory.Sequence(lambda n: f"uploads/test/{n}.pdf")
    original_name = "deck.pdf"
    content_type = "application/pdf"
    size = 1024
    uploaded_by = factory.SelfAttribute("submission.owner")


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.StatusChange"

    submission = factory.SubFactory(SubmissionFactory, status="submitted")
    from_status = "draft"
    to_status = "submitted"
    by = factory.SelfAttribute("submission.owner")


# --- judging ----------------------------------------------------------------------------
class RoundFactory(factory.django.DjangoModelFactory):
    """An open round with no criteria (``CriterionFactory(round=…)`` adds them)."""

    class Meta:
        model = "judging.Round"

    challenge = factory.SubFactory(ChallengeFactory)
    name = "Saralash"
    name_en = "Shortlist"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    status = "open"


class FollowUpAnswersFactory(factory.django.DjangoModelFactory):
    """An entry's answers to a round's follow-up form (a draft unless ``submitted_at``)."""

    class Meta:
        model = "judging.FollowUpAnswers"

    round = factory.SubFactory(RoundFactory)
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    answers = factory.LazyFunction(dict)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Criterion"

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    scale_min = Decimal("1")
    scale_max = Decimal("10")
    step = Decimal("1")
    position = factory.Sequence(int)


class JurorFactory(factory.django.DjangoModelFactory):
    """An active juror who signed the confidentiality statement."""

    class Meta:
        model = "judging.Juror"

    challenge = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    status = "active"
    confidentiality_signed_at = factory.LazyFunction(timezone.now)
    accepted_at = factory.LazyFunction(timezone.now)


class ConflictFactory(factory.django.DjangoModelFactory):
    """A declared conflict with a person (``kind="team", team=…`` for a team)."""

    class Meta:
        model = "judging.Conflict"

    juror = factory.SubFactory(JurorFactory)
    kind = "person"
    person = "Aziz Tursunov"
    declared_by = factory.SelfAttribute("juror.user")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Review"

    round = factory.SubFactory(RoundFactory)
    juror = factory.SubFactory(JurorFactory, challenge=factory.SelfAttribute("..round.challenge"))
    submission = factory.SubFactory(
        SubmissionFactory,
        challenge=factory.SelfAttribute("..round.challenge"),
        status="eligible",
        submitted_at=factory.LazyFunction(timezone.now),
    )
    queue_key = factory.Sequence(lambda n: n + 1)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Score"

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory, round=factory.SelfAttribute("..review.round"))
    value = Decimal("7")


class ScoreChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.ScoreChange"

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory, round=factory.SelfAttribute("..review.round"))
    old_value = Decimal("5")
    new_value = Decimal("7")
    by = factory.SelfAttribute("review.juror.user")


class ScreeningRoundFactory(RoundFactory):
    """An open screening round: no criteria, one screener per entry."""

    mode = "screening"
    reviews_per_entry = 1


class PairwiseRoundFactory(RoundFactory):
    """An open pairwise expo round: no criteria, judges compare projects."""

    mode = "pairwise"


class ExpoTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.ExpoTable"

    round = factory.SubFactory(PairwiseRoundFactory)
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    number = factory.Sequence(lambda n: n + 1)


class PairwiseVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.PairwiseVisit"

    round = factory.SubFactory(PairwiseRoundFactory)
    juror = factory.SubFactory(JurorFactory, challenge=factory.SelfAttribute("..round.challenge"))
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    state = "seen"


class ComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Comparison"

    round = factory.SubFactory(PairwiseRoundFactory)
    judge = factory.SubFactory(JurorFactory, challenge=factory.SelfAttribute("..round.challenge"))
    winner = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    loser = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )


class ScreeningDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.ScreeningDecision"

    round = factory.SubFactory(ScreeningRoundFactory)
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="submitted"
    )
    screener = factory.SubFactory(UserFactory)
    verdict = "ineligible"
    reason = "incomplete"


class ScreeningOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.ScreeningOutcome"

    round = factory.SubFactory(ScreeningRoundFactory)
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    verdict = "eligible"
    source = "staff"


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Publication"

    round = factory.SubFactory(RoundFactory, status="published")
    rows = factory.LazyFunction(list)
    published_by = factory.SubFactory(SuperuserFactory)


class FeedbackCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.FeedbackComment"

    review = factory.SubFactory(ReviewFactory, state="submitted")
    round = factory.SelfAttribute("review.round")
    submission = factory.SelfAttribute("review.submission")
    original = "Clear problem, good solution."
    text = factory.SelfAttribute("original")


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Appeal"

    round = factory.SubFactory(
        RoundFactory, status="published", feedback_released_at=factory.LazyFunction(timezone.now)
    )
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    reason = "Please look at our pilot results again."


class AdvancementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "judging.Advancement"

    round = factory.SubFactory(RoundFactory)
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..round.challenge"), status="eligible"
    )
    by = factory.SubFactory(SuperuserFactory)


# --- certificates -----------------------------------------------------------------------
class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "certificates.CertificateTemplate"

    name = factory.Sequence(lambda n: f"Template {n}")
    kind = "participation"
    language = "uz"
    title = "Ishtirokchi sertifikati"
    body = "{recipient_name} {challenge} tanlovida ishtirok etdi."


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "certificates.Signatory"

    template = factory.SubFactory(CertificateTemplateFactory)
    name = "Dilnoza Karimova"
    position = "Programme manager"


class TemplateLogoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "certificates.TemplateLogo"

    template = factory.SubFactory(CertificateTemplateFactory)
    image = factory.SubFactory(ImageFactory)
    alt = "UNDP"


class IssuingBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "certificates.IssuingBatch"

    challenge = factory.SubFactory(ChallengeFactory)
    rule = "participants"
    created_by = factory.SubFactory(SuperuserFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A pending participation certificate (no PDF yet: issue it through the service)."""

    class Meta:
        model = "certificates.Certificate"

    kind = "participation"
    challenge = factory.SubFactory(ChallengeFactory)
    recipient = factory.SubFactory(UserFactory)
    recipient_name = factory.LazyAttribute(
        lambda c: f"{c.recipient.first_name} {c.recipient.last_name}"
    )
    language = "uz"


class CertificateRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "certificates.CertificateRevision"

    certificate = factory.SubFactory(CertificateFactory)
    version = factory.Sequence(lambda n: n + 1)
    recipient_name = factory.SelfAttribute("certificate.recipient_name")
    reason = "name corrected"


# --- incubation -------------------------------------------------------------------------
class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.Stage"

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Bosqich {n}")
    name_en = factory.Sequence(lambda n: f"Stage {n}")
    slug = factory.Sequence(lambda n: f"stage-{n}")
    kind = "active"
    sort_order = factory.Sequence(lambda n: 100 + n)


class KpiDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.KpiDefinition"

    cohort = factory.SubFactory(CohortFactory)
    slug = factory.Sequence(lambda n: f"kpi-{n}")
    name = factory.Sequence(lambda n: f"Koʻrsatkich {n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    aggregation = "sum"


class ProjectFactory(factory.django.DjangoModelFactory):
    """An incubated project at its cohort's first stage (rows only: ``make_project`` in
    tests/incubation goes through the service)."""

    cohort = factory.SubFactory(CohortFactory)
    challenge = factory.SubFactory(ChallengeFactory)
    submission = factory.SubFactory(
        SubmissionFactory, challenge=factory.SelfAttribute("..challenge"), status="incubated"
    )
    team = factory.SelfAttribute("submission.team")
    owner = factory.SelfAttribute("submission.owner")
    title = factory.SelfAttribute("submission.title")
    stage = factory.LazyAttribute(lambda p: p.cohort.stages.order_by("sort_order", "id").first())

    class Meta:
        model = "incubation.Project"
        skip_postgeneration_save = True

    @factory.post_generation
    def _challenge_in_cohort(self, create, extracted, **kwargs):
        if create:
            self.cohort.challenges.add(self.challenge)


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.StageChange"

    project = factory.SubFactory(ProjectFactory)
    from_stage = factory.SelfAttribute("project.stage")
    to_stage = factory.LazyAttribute(
        lambda c: c.project.cohort.stages.exclude(pk=c.project.stage_id).order_by("sort_order")[0]
    )
    note = "Pilot in Chilonzor"


class ProjectLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.ProjectLink"

    project = factory.SubFactory(ProjectFactory)
    label = "Website"
    url = "https://example.org/"


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.Support"

    project = factory.SubFactory(ProjectFactory)
    kind = "grant"
    title = "Seed grant"
    amount = Decimal("5000000")
    currency = "UZS"
    given_on = date(2026, 2, 1)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.Milestone"

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = date(2026, 3, 31)
    owner = factory.SelfAttribute("project.owner")


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.ProgressReport"

    project = factory.SubFactory(ProjectFactory)
    period_start = date(2026, 1, 1)
    narrative = "Two pilots in Chilonzor; 300 users."
    submitted_by = factory.SelfAttribute("project.owner")
    submitted_at = factory.LazyFunction(timezone.now)


class KpiValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.KpiValue"

    report = factory.SubFactory(ProgressReportFactory)
    kpi = factory.LazyAttribute(lambda v: v.report.project.cohort.kpis.order_by("sort_order")[0])
    value = Decimal("300")


class MentorCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.MentorComment"

    report = factory.SubFactory(ProgressReportFactory)
    author = factory.SubFactory(UserFactory)
    body = "Good progress; talk to the hokimiyat about the pilot."


class ProjectFileFactory(factory.django.DjangoModelFactory):
    """A pending evidence file record (no object in S3)."""

    class Meta:
        model = "incubation.ProjectFile"

    project = factory.SubFactory(ProjectFactory)
    key = factory.Sequence(lambda n: f"incubation/test/{n}.pdf")
    original_name = "evidence.pdf"
    content_type = "application/pdf"
    size = 1024
    uploaded_by = factory.SelfAttribute("project.owner")


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incubation.Reminder"

    kind = "report_missing"
    project = factory.SubFactory(ProjectFactory)
    period_start = date(2026, 1, 1)
    day = date(2026, 2, 5)


# --- notifications ----------------------------------------------------------------------
class NotificationFactory(factory.django.DjangoModelFactory):
    """An inbox row (what ``notify()`` writes), with no delivery."""

    class Meta:
        model = "notifications.Notification"

    event = "submission.status_changed"
    recipient = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("recipient.email")
    language = "uz"
    context = factory.LazyFunction(lambda: {"title": "Aqlli niqob", "status": "winner"})


class BroadcastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Broadcast"

    event = "submission.status_changed"
    context = factory.LazyFunction(lambda: {"title": "Aqlli niqob", "status": "winner"})
    recipient_ids = factory.LazyFunction(list)
    channels = factory.LazyFunction(lambda: ["email"])


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Delivery"

    notification = factory.SubFactory(NotificationFactory)
    channel = "email"
    address = factory.SelfAttribute("notification.email")


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Preference"

    user = factory.SubFactory(UserFactory)
    event = "submission.status_changed"
    channel = "sms"
    enabled = False


class ChannelSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.ChannelSettings"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


# --- hackathons -------------------------------------------------------------------------
class EventFactory(factory.django.DjangoModelFactory):
    """A hackathon's event settings; its challenge is of kind "hackathon", open now."""

    class Meta:
        model = "hackathons.Event"

    challenge = factory.LazyFunction(lambda: with_phases(ChallengeFactory(kind="hackathon")))
    venue = "IT Park, Toshkent"
    registration_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    registration_closes = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    capacity = 2


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hackathons.Registration"

    event = factory.SubFactory(EventFactory)
    user = factory.LazyFunction(lambda: participant())
    state = "confirmed"
    registered_at = factory.LazyFunction(timezone.now)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hackathons.CheckIn"

    registration = factory.SubFactory(RegistrationFactory)
    checked_in_at = factory.LazyFunction(timezone.now)


class OpenRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hackathons.OpenRole"

    team = factory.SubFactory(TeamFactory)
    title = "Mobile developer"
    skills = factory.LazyFunction(lambda: ["mobile"])


class TeamRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hackathons.TeamRequest"

    registration = factory.SubFactory(RegistrationFactory)
    team = factory.LazyAttribute(lambda o: TeamFactory(challenge=o.registration.event.challenge))


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A partners' report asked for, not made yet (make it through reporting.services)."""

    class Meta:
        model = "reporting.ReportJob"

    challenge = factory.SubFactory(ChallengeFactory)
    language = "en"
    created_by = factory.SubFactory(SuperuserFactory)
