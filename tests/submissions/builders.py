"""Small builders for the participant journey (used by tests/submissions and the browser)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import TeamMembership
from tests.factories import (
    ChallengeFactory,
    SubmissionFactory,
    TeamFactory,
    participant,
    with_phases,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def open_challenge(*, status="open", pitch_required=True, max_size_mb=1, **fields):
    """A challenge taking entries now, asking for a pitch deck (PDF) and optional images."""
    from challenges.models import FileRequirement

    challenge = with_phases(ChallengeFactory(**fields), status=status)
    FileRequirement.objects.create(
        challenge=challenge, kind="pitch_deck", required=pitch_required, max_size_mb=max_size_mb
    )
    FileRequirement.objects.create(
        challenge=challenge, kind="image", required=False, max_size_mb=max_size_mb, max_files=3
    )
    return challenge


def team_entry(challenge, *, members=0, **entry):
    """A team whose lead has a profile, ``members`` more members, and a draft entry."""
    lead = participant()
    team = TeamFactory(challenge=challenge, lead=lead)
    for _ in range(members):
        TeamMembership.objects.create(team=team, challenge=challenge, user=participant())
    submission = SubmissionFactory(challenge=challenge, team=team, owner=lead, **entry)
    return submission


def pdf_upload(name="deck.pdf", body=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, body, content_type=content_type)
