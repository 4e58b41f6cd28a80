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
    from challenges.services.entry_forms import add_file_question

    # The old "required" switches of a challenge are now its default questions' flags.
    switches = {
        name: fields.pop(flag)
        for flag, name in (
            ("require_summary", "summary"),
            ("require_repository", "repository_url"),
            ("require_video", "video_url"),
        )
        if flag in fields
    }
    challenge = with_phases(ChallengeFactory(**fields), status=status)
    for name, required in switches.items():
        challenge.entry_fields.filter(clean_name=name).update(required=required)
    add_file_question(
        challenge=challenge, kind="pitch_deck", required=pitch_required, max_size_mb=max_size_mb
    )
    add_file_question(
        challenge=challenge, kind="image", required=False, max_size_mb=max_size_mb, max_files=3
    )
    return challenge


def team_entry(challenge, *, members=0, **entry):
    """A team whose lead has a profile, ``members`` more members, and a draft entry.

    Answers to the default form may be given by name (``summary="…"``)."""
    from challenges.services.entry_forms import DEFAULT_QUESTIONS

    given = {name: entry.pop(name) for name, *_rest in DEFAULT_QUESTIONS if name in entry}
    if given:
        answers = {**entry.pop("answers", {"summary": "A volunteer-matching app."}), **given}
        entry["answers"] = {name: value for name, value in answers.items() if value}
    lead = participant()
    team = TeamFactory(challenge=challenge, lead=lead)
    for _ in range(members):
        TeamMembership.objects.create(team=team, challenge=challenge, user=participant())
    submission = SubmissionFactory(challenge=challenge, team=team, owner=lead, **entry)
    return submission


def pdf_upload(name="deck.pdf", body=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, body, content_type=content_type)
