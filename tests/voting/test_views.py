"""The public pages of the vote and the staff pages, over HTTP."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from challenges.services.entry_forms import add_file_question
from core.models import AuditEntry
from submissions.models import TeamMembership
from submissions.services import files
from tests.factories import (
    ProfileFactory,
    SuperuserFactory,
    TrackFactory,
    UserFactory,
    with_phases,
)
from voting.enums import VoteStatus
from voting.models import GalleryConsent, Vote

from .helpers import make_entry, make_vote, voter

pytestmark = pytest.mark.django_db


def gallery_url(pc):
    return f"/en/vote/{pc.challenge.slug}/"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (48, 24), "#0b5cab").save(buffer, "PNG")
    return buffer.getvalue()


def with_image(entry):
    with_phases(entry.challenge)  # files are attached while entries are open
    add_file_question(challenge=entry.challenge, kind="image", max_size_mb=1)
    upload = SimpleUploadedFile("team.png", png(), content_type="image/png")
    return files.attach_file(submission=entry, kind="image", uploaded=upload, by=entry.owner)


def test_the_gallery_shows_consented_submitted_entries_and_never_members(client):
    pc = make_vote()
    shown = make_entry(pc, title="Shown project")
    ProfileFactory(user=shown.owner, full_name="Dilnoza Secretname")
    make_entry(pc, title="No consent project", consent=False)
    make_entry(pc, title="Draft project", status="draft")
    response = client.get(gallery_url(pc))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Shown project" in text
    assert f"Summary of {shown.title}" in text
    assert "https://example.org/video" in text
    assert shown.team.name in text
    assert "No consent project" not in text
    assert "Draft project" not in text
    assert "Secretname" not in text
    assert shown.owner.email not in text


def test_the_gallery_filters_by_track_and_region(client):
    pc = make_vote()
    track_a, track_b = TrackFactory(challenge=pc.challenge), TrackFactory(challenge=pc.challenge)
    a = make_entry(pc, title="Alpha project", track=track_a)
    make_entry(pc, title="Beta project", track=track_b)
    ProfileFactory(user=a.owner)  # Tashkent (UZ-TK)
    text = client.get(gallery_url(pc), {"track": track_b.pk}).content.decode()
    assert "Beta project" in text
    assert "Alpha project" not in text
    region = a.owner.profile.region
    text = client.get(gallery_url(pc), {"region": region.pk}).content.decode()
    assert "Alpha project" in text
    assert "Beta project" not in text


def test_the_gallery_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    pc = make_vote()
    for _ in range(3):
        make_entry(pc)
    with django_assert_max_num_queries(15) as few:
        client.get(gallery_url(pc))
    for _ in range(6):
        make_entry(pc)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(gallery_url(pc)).status_code == 200


def test_an_image_is_served_but_not_when_a_member_is_a_minor(client):
    pc = make_vote()
    entry = make_entry(pc)
    with_image(entry)
    url = f"/en/vote/{pc.challenge.slug}/entry/{entry.pk}/image/"
    assert url in client.get(gallery_url(pc)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    minor = UserFactory()
    ProfileFactory(user=minor, birth_date=timezone.localdate() - timedelta(days=365 * 15))
    TeamMembership.objects.create(team=entry.team, challenge=entry.challenge, user=minor)
    assert url not in client.get(gallery_url(pc)).content.decode()
    assert client.get(url).status_code == 404


def test_no_image_for_an_entry_outside_the_gallery(client):
    pc = make_vote()
    entry = make_entry(pc, consent=False)
    with_image(entry)
    assert client.get(f"/en/vote/{pc.challenge.slug}/entry/{entry.pk}/image/").status_code == 404


def test_a_visitor_votes_and_changes_the_vote(client):
    pc = make_vote()
    first, second = make_entry(pc, title="First one"), make_entry(pc, title="Second one")
    user = voter()
    client.force_login(user)
    url = f"/en/vote/{pc.challenge.slug}/vote/"
    response = client.post(url, {"entry": first.pk}, follow=True)
    assert "your vote is recorded" in response.content.decode()
    response = client.post(url, {"entry": second.pk}, REMOTE_ADDR="198.51.100.4", follow=True)
    assert "Your vote is changed" in response.content.decode()
    vote = Vote.objects.get(voter=user)
    assert vote.submission_id == second.pk
    assert vote.network == "198.51.100.0/24"
    assert "Your vote: Second one" in response.content.decode()


@pytest.mark.parametrize("bad", ["", "abc", "999999"])
def test_a_vote_for_a_missing_entry_is_refused(client, bad):
    pc = make_vote()
    make_entry(pc)
    client.force_login(voter())
    response = client.post(f"/en/vote/{pc.challenge.slug}/vote/", {"entry": bad}, follow=True)
    assert "This entry is not in the vote." in response.content.decode()
    assert not Vote.objects.exists()


def test_an_unverified_account_is_told_why(client):
    pc = make_vote()
    entry = make_entry(pc)
    client.force_login(voter(verified=False))
    response = client.post(f"/en/vote/{pc.challenge.slug}/vote/", {"entry": entry.pk}, follow=True)
    assert "only verified accounts can vote" in response.content.decode()
    assert not Vote.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    pc = make_vote()
    entry = make_entry(pc)
    response = client.post(f"/en/vote/{pc.challenge.slug}/vote/", {"entry": entry.pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Vote.objects.exists()


@override_settings(TANLOV_VOTE_RATE="100/1m/ip,2/1m/user")
def test_votes_are_rate_limited(client):
    pc = make_vote()
    entries = [make_entry(pc) for _ in range(3)]
    client.force_login(voter())
    url = f"/en/vote/{pc.challenge.slug}/vote/"
    assert client.post(url, {"entry": entries[0].pk}).status_code == 302
    assert client.post(url, {"entry": entries[1].pk}).status_code == 302
    response = client.post(url, {"entry": entries[2].pk})
    assert response.status_code == 429
    assert Vote.objects.get().submission_id == entries[1].pk


def test_results_are_hidden_until_published(client):
    pc = make_vote(opens=-3, closes=-1)
    entry = make_entry(pc, title="Popular one")
    Vote.objects.create(peoples_choice=pc, voter=voter(), submission=entry)
    Vote.objects.create(
        peoples_choice=pc, voter=voter(), submission=entry, status=VoteStatus.VOIDED
    )
    url = f"/en/vote/{pc.challenge.slug}/results/"
    text = client.get(url).content.decode()
    assert "not published yet" in text
    assert "Popular one" not in text
    pc.published_at = timezone.now()
    pc.save()
    response = client.get(url)
    text = response.content.decode()
    assert "Popular one" in text
    assert "1 vote" in text
    assert '<dd data-testid="voided">1</dd>' in text
    assert "browser signature" in text  # the rules used are listed


def test_no_vote_page_for_a_challenge_without_a_vote(client):
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory()
    assert client.get(f"/en/vote/{challenge.slug}/").status_code == 404
    assert client.get(f"/en/vote/{challenge.slug}/results/").status_code == 404


def test_the_lead_gives_consent_a_member_cannot(client):
    pc = make_vote()
    entry = make_entry(pc, consent=False)
    member = UserFactory()
    TeamMembership.objects.create(team=entry.team, challenge=entry.challenge, user=member)
    url = f"/en/vote/entry/{entry.pk}/consent/"
    client.force_login(member)
    assert "Only the team" in client.get(url).content.decode()
    assert client.post(url, {"consent": "yes"}).status_code == 403
    assert not GalleryConsent.objects.exists()
    client.force_login(entry.owner)
    assert client.post(url, {"consent": "yes"}).status_code == 302
    assert GalleryConsent.objects.filter(submission=entry).exists()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_staff_set_up_review_and_publish(client):
    from wagtail.users.models import UserProfile

    from tests.factories import ChallengeFactory

    staff = SuperuserFactory()
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"  # the admin in English: the texts asserted below
    profile.save()
    challenge = ChallengeFactory()
    client.force_login(staff)
    assert client.get("/admin/voting/").status_code == 200
    now = timezone.localtime()
    bad = client.post(
        f"/admin/voting/{challenge.pk}/",
        {"opens_at": now.strftime("%Y-%m-%dT%H:%M"), "closes_at": now.strftime("%Y-%m-%dT%H:%M")},
    )
    assert bad.status_code == 200
    assert "must close after it opens" in bad.content.decode()
    response = client.post(
        f"/admin/voting/{challenge.pk}/",
        {
            "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    pc = challenge.peoples_choice
    entry = make_entry(pc)
    held = [
        Vote.objects.create(
            peoples_choice=pc,
            voter=voter(),
            submission=entry,
            status=VoteStatus.HELD,
            reasons=["network_prefix"],
            score=2,
        )
        for _ in range(3)
    ]
    page = client.get(f"/admin/voting/{challenge.pk}/review/")
    assert page.status_code == 200
    assert "from one network" in page.content.decode()
    # No reason: nothing changes.
    client.post(
        f"/admin/voting/{challenge.pk}/review/",
        {"votes": [v.pk for v in held], "decision": "void", "reason": ""},
    )
    assert Vote.objects.filter(status=VoteStatus.HELD).count() == 3
    response = client.post(
        f"/admin/voting/{challenge.pk}/review/",
        {"votes": [v.pk for v in held[:2]], "decision": "void", "reason": "One script"},
    )
    assert response.status_code == 302
    assert Vote.objects.filter(status=VoteStatus.VOIDED).count() == 2
    # Publishing while open is refused.
    client.post(f"/admin/voting/{challenge.pk}/publish/")
    pc.refresh_from_db()
    assert not pc.is_published
    client.post(
        f"/admin/voting/{challenge.pk}/review/",
        {"votes": [held[2].pk], "decision": "accept", "reason": "Checked"},
    )
    pc.closes_at = timezone.now() - timedelta(minutes=1)
    pc.save()
    client.post(f"/admin/voting/{challenge.pk}/publish/")
    pc.refresh_from_db()
    assert pc.is_published
    assert AuditEntry.objects.filter(action="voting.published").exists()


def test_staff_of_another_challenge_find_nothing(client):
    from django.contrib.auth.models import Group

    pc = make_vote()
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name="Challenge managers"))
    from tests.factories import ChallengeFactory

    ChallengeFactory().managers.add(other)
    client.force_login(other)
    assert client.get(f"/admin/voting/{pc.challenge_id}/review/").status_code == 404
    assert client.get(f"/admin/voting/{pc.challenge_id}/").status_code == 404
    assert client.post(f"/admin/voting/{pc.challenge_id}/publish/").status_code == 404


def test_a_minor_is_detected_from_the_birth_date():
    from voting.services.votes import with_minors

    pc = make_vote()
    entry = make_entry(pc)
    ProfileFactory(user=entry.owner, birth_date=date(1990, 1, 1))
    assert with_minors([entry]) == set()
    entry.owner.profile.birth_date = timezone.localdate() - timedelta(days=365 * 17)
    entry.owner.profile.save()
    assert with_minors([entry]) == {entry.pk}


def test_the_gallery_pages_past_24_entries(client):
    pc = make_vote()
    for n in range(26):
        make_entry(pc, title=f"Project {n:02d}")
    first = client.get(gallery_url(pc)).content.decode()
    assert first.count('class="card"') == 24
    assert "26 entries" in first
    second = client.get(gallery_url(pc), {"page": 2}).content.decode()
    assert second.count('class="card"') == 2


def test_the_review_page_query_count_does_not_grow_with_held_votes(
    client, django_assert_max_num_queries
):
    pc = make_vote()
    entry = make_entry(pc)
    client.force_login(SuperuserFactory())

    def hold(n):
        for _ in range(n):
            Vote.objects.create(
                peoples_choice=pc, voter=voter(), submission=entry, status=VoteStatus.HELD
            )

    hold(2)
    url = f"/admin/voting/{pc.challenge_id}/review/"
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    hold(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_entry_page_links_to_the_gallery_consent_when_the_challenge_votes(client):
    pc = make_vote()
    entry = make_entry(pc, consent=False)
    client.force_login(entry.owner)
    text = client.get(f"/en/me/entry/{entry.pk}/").content.decode()
    assert f"/en/vote/entry/{entry.pk}/consent/" in text
    pc.delete()
    text = client.get(f"/en/me/entry/{entry.pk}/").content.decode()
    assert "/consent/" not in text
