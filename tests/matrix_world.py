"""The world the URL-by-role matrix (tests/test_url_matrix.py) is walked in.

Real objects of the demo's shape, built with the factories and the services:

* challenge **A** in judging: teams A (lead ``owner``, plus ``member``) and B (lead
  ``other_team``), both entries submitted with a verified pitch deck; round R open, with
  reviews of A's entry for ``juror`` and ``juror_conflicted`` (who then declared a conflict
  with the organisation of A's lead), and ``juror_unassigned`` on the jury with no review;
  screening round S, where the same two jurors screen A's entry;
* challenge **C**, closed, whose winners are incubated in a cohort: project P (team A's
  people, mentored by ``mentor``) with a milestone, a report, a verified and a pending file;
  project Q (``other_team``'s, mentored by ``mentor_other``); certificates of C issued in a
  batch, one of them to ``owner``;
* challenge **Z** of ``manager_other``, with its own round;
* a live public page for C (and a published ranking of C): the public API's challenge;
* the owner's notifications, a dead-letter delivery, a pending team invitation and jury
  invitation, and the uz/ru/en home pages.

``manager`` runs A and C (the "Challenge managers" group + ``challenge.managers``).
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from tests.certificates.helpers import make_template
from tests.factories import (
    ChallengeFactory,
    CohortFactory,
    EntryFieldFactory,
    ProfileFactory,
    SubmissionFactory,
    SuperuserFactory,
    TeamFactory,
    TrackFactory,
    UserFactory,
    with_phases,
)
from tests.submissions.builders import PDF, pdf_upload

#: Every role the matrix asks as, in the order the report lists them.
ROLES = (
    "anonymous",
    "owner",  # lead of team A (and of its incubated project P)
    "member",  # member of team A, not its lead
    "other_team",  # lead of team B (and of project Q)
    "juror",  # assigned to review team A's entry
    "juror_unassigned",  # on A's jury, no review of A's entry
    "juror_conflicted",  # has a review of A's entry, declared a conflict with A's organisation
    "mentor",  # mentor of project P
    "mentor_other",  # mentor of project Q
    "editor",  # Wagtail "Editors"
    "moderator",  # Wagtail "Moderators"
    "manager",  # "Challenge managers" + manager of A and C
    "manager_other",  # "Challenge managers" + manager of Z only
    "superuser",
)

ORGANISATION_A = "Mehr NGO"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "#0b5cab").save(buffer, "PNG")
    return buffer.getvalue()


def _staff(username, *groups):
    user = UserFactory(username=username, is_staff=True)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def _person(username, **profile):
    user = UserFactory(username=username)
    ProfileFactory(user=user, **profile)
    return user


def _judging_timeline(challenge):
    """Move the challenge from "open" to "judging": the submission deadline has passed."""
    challenge.phases.all().delete()
    with_phases(challenge, status="judging")


def _closed_timeline(challenge):
    challenge.phases.all().delete()
    with_phases(challenge, status="closed")


def build_world():
    from certificates.enums import CertificateKind, CertificateStatus, IssueRule
    from certificates.models import Certificate, IssuingBatch
    from challenges.services.entry_forms import add_file_question
    from cms.demo.site import ensure_home_pages
    from incubation.enums import MilestoneStatus
    from incubation.models import ProjectFile
    from incubation.services.milestones import add_milestone
    from incubation.services.projects import incubate_submission
    from incubation.services.reports import submit_report
    from judging.enums import ConflictKind, JurorStatus
    from judging.models import Appeal, Conflict, Juror
    from notifications.enums import Channel, DeliveryStatus
    from notifications.models import Delivery, Notification
    from submissions.enums import SubmissionStatus
    from submissions.models import EligibilityException, Invitation, TeamMembership
    from submissions.services import entries, files
    from submissions.services.status import change_status
    from tests.judging.helpers import assign, make_juror, make_round, submit_scores

    world = World()
    u = world.users
    o = world.objects
    u["owner"] = _person("owner", organisation=ORGANISATION_A)
    # Typed a district before the list, and none of the region's answered to it.
    u["member"] = _person("member", district_typed="Chilonzor-9")
    u["other_team"] = _person("other-team", organisation="Boshqa MChJ")
    for name in ("juror", "juror_unassigned", "juror_conflicted", "mentor", "mentor_other"):
        u[name] = UserFactory(username=name.replace("_", "-"))
    u["editor"] = _staff("editor", "Editors")
    u["moderator"] = _staff("moderator", "Moderators")
    u["manager"] = _staff("manager", "Challenge managers")
    u["manager_other"] = _staff("manager-other", "Challenge managers")
    u["superuser"] = SuperuserFactory(username="root")

    o["homes"] = ensure_home_pages()
    o["image"] = Image.objects.create(title="Hero", file=ContentFile(_png(), name="hero.png"))
    o["document"] = Document.objects.create(title="Rules", file=ContentFile(PDF, name="rules.pdf"))
    o["document_filename"] = o["document"].filename
    o["template"] = make_template()

    # --- challenge A: entries submitted, now in judging --------------------------------
    a = with_phases(ChallengeFactory(title="Technovation A", slug="technovation-a"))
    a.managers.add(u["manager"])
    add_file_question(challenge=a, kind="pitch_deck", required=True, max_size_mb=1)
    add_file_question(challenge=a, kind="image", required=False, max_size_mb=1, max_files=3)
    track = TrackFactory(challenge=a)
    team_a = TeamFactory(challenge=a, lead=u["owner"], name="Team A")
    TeamMembership.objects.create(team=team_a, challenge=a, user=u["member"])
    team_b = TeamFactory(challenge=a, lead=u["other_team"], name="Team B")
    entry_a = SubmissionFactory(
        challenge=a, team=team_a, owner=u["owner"], track=track, title="Entry A"
    )
    entry_b = SubmissionFactory(
        challenge=a, team=team_b, owner=u["other_team"], track=track, title="Entry B"
    )
    file_a = files.attach_file(
        submission=entry_a, kind="pitch_deck", uploaded=pdf_upload(), by=u["owner"]
    )
    file_b = files.attach_file(
        submission=entry_b, kind="pitch_deck", uploaded=pdf_upload(), by=u["other_team"]
    )
    for entry in (entry_a, entry_b):
        entries.submit_entry(submission=entry, by=entry.owner)
    # A file the browser never finished uploading (the confirm endpoint's object).
    pending_a = files.request_upload(
        submission=entry_a,
        kind="image",
        filename="late.png",
        content_type="image/png",
        size=len(PDF),
        by=u["owner"],
    )[0]
    _judging_timeline(a)
    for entry in (entry_a, entry_b):
        change_status(submission=entry, status=SubmissionStatus.ELIGIBLE, by=u["manager"])
        entry.refresh_from_db()

    round_a = make_round(a)
    juror = make_juror(a, u["juror"])
    make_juror(a, u["juror_unassigned"])
    conflicted = make_juror(a, u["juror_conflicted"])
    (review_a,) = assign(round_a, juror, [entry_a])
    assign(round_a, juror, [entry_b], key_start=2)
    (review_conflicted,) = assign(round_a, conflicted, [entry_a], key_start=3)
    # Declared after the assignment (the review row stays, as when a juror finds out late).
    Conflict.objects.create(
        juror=conflicted,
        kind=ConflictKind.ORGANISATION,
        organisation=ORGANISATION_A,
        declared_by=u["juror_conflicted"],
    )
    # Round R asks its entries (A's and B's) for a follow-up, open for three more days (asked
    # without the notifications, which the owner's inbox rows below do not expect).
    round_a.followup_questions.set(
        [
            EntryFieldFactory(
                challenge=a,
                stage="followup",
                clean_name="budget",
                field_type="number",
                label="Byudjet",
                label_en="Budget",
            )
        ]
    )
    round_a.followup_deadline = timezone.now() + timedelta(days=3)
    round_a.followup_requested_at = timezone.now()
    round_a.save()
    # A screening round of A, one screener per entry: the same two jurors are assigned A's
    # entry (the conflicted one's assignment stays, as above).
    round_s = make_round(a, mode="screening", k=1)
    round_s.criteria.all().delete()
    (screen_a,) = assign(round_s, juror, [entry_a])
    (screen_conflicted,) = assign(round_s, conflicted, [entry_a], key_start=2)
    # A pairwise expo round of A: every juror of A may walk it (the conflicted one is never
    # sent to A's entry); its tables are numbered in submission order.
    round_p = make_round(a, mode="pairwise", position=4)
    round_p.criteria.all().delete()
    # A published round of A whose feedback is released: A's and B's entries judged by the
    # juror, A's team has appealed (B's may still).
    round_f = make_round(a, status="published", position=3)
    for review in assign(round_f, juror, [entry_a, entry_b], key_start=10):
        submit_scores(review, [7, 3])
    round_f.feedback_released_at = timezone.now()
    round_f.save()
    appeal_f = Appeal.objects.create(
        round=round_f,
        submission=entry_a,
        reason="Please look again.",
        filed_by=u["owner"],
        file_key=f"appeals/{round_f.pk}/evidence.pdf",
        file_name="evidence.pdf",
        file_type="application/pdf",
        file_size=1024,
    )
    invited = Juror.objects.create(
        challenge=a, email="new-juror@example.org", status=JurorStatus.INVITED
    )
    invitation = Invitation.objects.create(
        team=team_a,
        email="friend@example.org",
        invited_by=u["owner"],
        expires_at=timezone.now() + timedelta(days=7),
    )

    # --- challenge Z: another manager's ------------------------------------------------
    z = with_phases(ChallengeFactory(title="Open Data Z", slug="open-data-z"), status="judging")
    z.managers.add(u["manager_other"])
    round_z = make_round(z)

    # --- challenge C: closed, winners incubated, certificates issued ------------------
    c = with_phases(ChallengeFactory(title="COVID-19 C", slug="covid-19-c"), status="open")
    c.managers.add(u["manager"])
    team_ac = TeamFactory(challenge=c, lead=u["owner"], name="Team A (C)")
    TeamMembership.objects.create(team=team_ac, challenge=c, user=u["member"])
    team_bc = TeamFactory(challenge=c, lead=u["other_team"], name="Team B (C)")
    winner_a = SubmissionFactory(
        challenge=c, team=team_ac, owner=u["owner"], status="winner", title="Mehr"
    )
    winner_b = SubmissionFactory(
        challenge=c, team=team_bc, owner=u["other_team"], status="winner", title="Niqob"
    )
    _closed_timeline(c)
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    starts_on = (first_of_month - timedelta(days=160)).replace(day=1)
    cohort = CohortFactory(
        name="Inkubatsiya C",
        name_en="Cohort C",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=364),
        challenges=[c],
    )
    project_p = incubate_submission(cohort=cohort, submission=winner_a, by=u["manager"])
    project_q = incubate_submission(cohort=cohort, submission=winner_b, by=u["manager"])
    project_p.mentors.add(u["mentor"])
    project_q.mentors.add(u["mentor_other"])
    milestone = add_milestone(
        project=project_p,
        title="Pilot in two mahallas",
        due_on=today + timedelta(days=30),
        by=u["manager"],
    )
    assert milestone.status == MilestoneStatus.PLANNED
    report = submit_report(
        project=project_p,
        period_start=cohort.period_starts()[0],
        narrative="First month: 40 volunteers.",
        files=[pdf_upload("report.pdf")],
        by=u["owner"],
    )
    project_file = report.files.get()
    pending_file = ProjectFile.objects.create(
        project=project_p,
        key=f"incubation/{project_p.pk}/pending.pdf",
        original_name="pending.pdf",
        content_type="application/pdf",
        uploaded_by=u["owner"],
    )
    submit_report(
        project=project_q,
        period_start=cohort.period_starts()[0],
        narrative="Q's first month.",
        by=u["other_team"],
    )

    batch = IssuingBatch.objects.create(
        challenge=c, rule=IssueRule.PARTICIPANTS, created_by=u["manager"], queued=1
    )
    certificate = Certificate.objects.create(
        kind=CertificateKind.PARTICIPATION,
        challenge=c,
        recipient=u["owner"],
        batch=batch,
        recipient_name="Owner of team A",
        language="en",
        team_name=team_ac.name,
        project_title=winner_a.title,
        status=CertificateStatus.ISSUED,
        pdf_key=f"certificates/{c.pk}/owner.pdf",
        issued_at=timezone.now(),
    )
    certificate_b = Certificate.objects.create(
        kind=CertificateKind.PARTICIPATION,
        challenge=c,
        recipient=u["other_team"],
        batch=batch,
        recipient_name="Lead of team B",
        language="en",
        status=CertificateStatus.ISSUED,
        pdf_key=f"certificates/{c.pk}/other.pdf",
        issued_at=timezone.now(),
    )

    notification = Notification.objects.filter(recipient=u["owner"]).order_by("pk").first()
    assert notification is not None  # submit_entry told the team
    dead, _ = Delivery.objects.update_or_create(
        notification=notification,
        channel=Channel.EMAIL,
        defaults={"status": DeliveryStatus.FAILED, "last_error": "550 mailbox unavailable"},
    )

    # A's staff let a participant of another team in (the revoke rows need one).
    exception_a = EligibilityException.objects.create(
        challenge=a, user=u["other_team"], reason="Decided by the jury.", granted_by=u["manager"]
    )

    # A's people's choice vote, open: A's entry is in the gallery, B's is not (no consent);
    # one of the jurors' votes is held back for review.
    from voting.enums import VoteStatus
    from voting.models import GalleryConsent, PeoplesChoice, Vote

    vote_a = PeoplesChoice.objects.create(
        challenge=a,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    GalleryConsent.objects.create(submission=entry_a, given_by=u["owner"])
    held_vote = Vote.objects.create(
        peoples_choice=vote_a,
        voter=u["juror"],
        submission=entry_a,
        status=VoteStatus.HELD,
        reasons=["network_prefix"],
        score=2,
    )

    # --- the public API (api/, cms/api.py): C has a live page and a published ranking;
    # A and Z have no page, so the API knows nothing of them.
    from cms.models import ChallengeIndexPage, ChallengePage
    from cms.pages import ensure_translated_page
    from judging.enums import RoundStatus
    from judging.models import Publication

    index = ensure_translated_page(
        o["homes"], ChallengeIndexPage, slug="challenges", texts={"uz": {"title": "Tanlovlar"}}
    )
    o["c_page"] = ensure_translated_page(
        index,
        ChallengePage,
        slug=c.slug,
        texts={"uz": {"title": "COVID-19 C", "intro": "Yopilgan tanlov."}},
        challenge=c,
    )["uz"]
    round_c = make_round(c, status=RoundStatus.PUBLISHED)
    Publication.objects.create(
        round=round_c,
        rows=[
            {
                "rank": 1,
                "entry_id": winner_a.id,
                "title": winner_a.title,
                "track": "",
                "score": "90.00",
                "status": winner_a.status,
            }
        ],
    )

    # A's broadcasts: a draft to all entrants, and one already sent.
    from broadcasts.models import Broadcast

    texts = {
        "subject": "Matrix xabari",
        "body": "Salom",
        "subject_en": "Matrix news",
        "body_en": "Hi",
    }
    broadcast_a = Broadcast.objects.create(
        challenge=a, segment="entrants", created_by=u["manager"], **texts
    )
    broadcast_sent = Broadcast.objects.create(
        challenge=a,
        segment="entrants",
        status="sent",
        send_at=timezone.now(),
        sent_at=timezone.now(),
        recipient_count=2,
        **texts,
    )

    from challenges.models import District
    from reporting.models import ReportJob

    # A partners' report of A, made (its files in the bucket's key space), and one queued.
    report_job = ReportJob.objects.create(
        challenge=a,
        language="en",
        created_by=u["manager"],
        status="done",
        progress=100,
        pdf_key=f"reports/{a.pk}/matrix.pdf",
        xlsx_key=f"reports/{a.pk}/matrix.xlsx",
        finished_at=timezone.now(),
    )
    report_queued = ReportJob.objects.create(challenge=a, language="ru", created_by=u["manager"])

    o.update(
        a=a,
        report_job=report_job,
        report_queued=report_queued,
        member_profile=u["member"].profile,
        member_user=u["member"],
        chilonzor=District.objects.get(code="UZ-TK-chilonzor-district"),
        broadcast_a=broadcast_a,
        broadcast_sent=broadcast_sent,
        vote_a=vote_a,
        held_vote=held_vote,
        exception_a=exception_a,
        c=c,
        z=z,
        team_a=team_a,
        team_b=team_b,
        entry_a=entry_a,
        entry_b=entry_b,
        entry_c=winner_a,
        file_a=file_a,
        file_b=file_b,
        pending_a=pending_a,
        round_a=round_a,
        round_z=round_z,
        round_s=round_s,
        round_p=round_p,
        round_f=round_f,
        appeal_f=appeal_f,
        screen_a=screen_a,
        screen_conflicted=screen_conflicted,
        review_a=review_a,
        review_conflicted=review_conflicted,
        invited_juror=invited,
        invitation=invitation,
        cohort=cohort,
        project_p=project_p,
        project_q=project_q,
        milestone=milestone,
        report=report,
        project_file=project_file,
        pending_file=pending_file,
        batch=batch,
        certificate=certificate,
        certificate_b=certificate_b,
        notification=notification,
        dead_letter=dead,
    )
    from tests.hackathons import world as hackathon_world

    hackathon_world.build(world)
    return world
