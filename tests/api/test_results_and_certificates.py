"""``/api/v1/challenges/{slug}/results`` shows what the challenge page shows (the latest
published round, public statuses only, no personal data); ``/api/v1/certificates/{code}``
what the verification page shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.enums import CertificateStatus
from judging.enums import RoundStatus
from tests.factories import (
    CertificateFactory,
    PublicationFactory,
    RoundFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _row(rank, entry, score):
    return {
        "rank": rank,
        "entry_id": entry.id,
        "title": entry.title,
        "track": "",
        "score": score,
        "status": entry.status,
    }


@pytest.fixture
def ranked(public_challenge):
    """A closed challenge: round 1 published (a winner, a finalist, an entry left out),
    round 2 locked with a ranking that is not published."""
    challenge = public_challenge("closed", slug="ranked")
    track = challenge.tracks.get()
    owner = UserFactory(email="lead@example.org", first_name="Dilnoza")
    winner = SubmissionFactory(
        challenge=challenge, owner=owner, track=track, title="Suv", status="winner"
    )
    finalist = SubmissionFactory(challenge=challenge, track=track, title="Havo", status="finalist")
    left_out = SubmissionFactory(
        challenge=challenge, track=track, title="Yashirin", status="not_selected"
    )
    first = RoundFactory(challenge=challenge, position=1, name="Final", name_en="Final round")
    first.status = RoundStatus.PUBLISHED
    first.save()
    PublicationFactory(
        round=first,
        rows=[_row(1, winner, "91.50"), _row(2, finalist, "80.00"), _row(3, left_out, "12.00")],
    )
    later = RoundFactory(challenge=challenge, position=2, status=RoundStatus.LOCKED)
    PublicationFactory(round=later, rows=[_row(1, left_out, "99.99")])
    return challenge


def test_results_are_the_published_ranking(client, ranked):
    response = client.get("/api/v1/challenges/ranked/results", {"lang": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body["challenge"] == "ranked"
    assert body["round"]["name"] == "Final round"
    assert body["rows"] == [
        {
            "rank": 1,
            "title": "Suv",
            "track": "Health",
            "score": "91.50",
            "status": "winner",
            "status_name": "Winner",
        },
        {
            "rank": 2,
            "title": "Havo",
            "track": "Health",
            "score": "80.00",
            "status": "finalist",
            "status_name": "Finalist",
        },
    ]
    assert body["margins"] == []
    text = response.content.decode()
    # Not the entry left out, nor the unpublished round's scores, nor anyone's data.
    for hidden in ("Yashirin", "99.99", "12.00", "lead@example.org", "Dilnoza", "entry_id"):
        assert hidden not in text


def test_results_name_the_track_in_the_readers_language(client, ranked):
    response = client.get("/api/v1/challenges/ranked/results", {"lang": "ru"})

    assert [row["track"] for row in response.json()["rows"]] == ["Здоровье", "Здоровье"]


def test_nothing_published_yet(client, public_challenge):
    challenge = public_challenge("judging", slug="judging-now")
    RoundFactory(challenge=challenge, status=RoundStatus.LOCKED)

    response = client.get("/api/v1/challenges/judging-now/results")

    assert response.status_code == 200
    assert response.json() == {
        "challenge": "judging-now",
        "round": None,
        "rows": [],
        "margins": [],
    }


def _certificate(**fields):
    return CertificateFactory(
        status=CertificateStatus.ISSUED,
        issued_at=timezone.now() - timedelta(days=3),
        recipient_name="Malika Karimova",
        project_title="Suv",
        **fields,
    )


@pytest.mark.parametrize(("lang", "label"), [("en", "2nd place"), ("uz", "2-oʻrin")])
def test_a_winners_certificate_names_the_place_as_the_verify_page_does(client, lang, label):
    certificate = _certificate(kind="winner", place=2)

    body = client.get(f"/api/v1/certificates/{certificate.code}", {"lang": lang}).json()

    assert body["place"] == 2
    assert body["place_label"] == label


def test_a_valid_certificate(client):
    certificate = _certificate(challenge__title="Tanlov", challenge__title_en="The challenge")
    certificate.recipient.email = "malika@example.org"
    certificate.recipient.save()

    response = client.get(f"/api/v1/certificates/{certificate.code.lower()}", {"lang": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "code": certificate.code,
        "status": "issued",
        "valid": True,
        "revoked_at": None,
        "recipient_name": "Malika Karimova",
        "kind": "participation",
        "kind_name": body["kind_name"],
        "challenge": {"title": "The challenge"},
        "place": None,
        "place_label": "",
        "project_title": "Suv",
        "issued_at": body["issued_at"],
    }
    assert body["kind_name"]
    assert body["issued_at"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "malika@example.org" not in response.content.decode()


def test_a_revoked_certificate_says_so(client):
    certificate = _certificate()
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = "Ichki sabab"
    certificate.save()

    response = client.get(f"/api/v1/certificates/{certificate.code}")

    body = response.json()
    assert body["status"] == "revoked"
    assert body["valid"] is False
    assert body["revoked_at"]
    assert "Ichki sabab" not in response.content.decode()


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ", "not-a-code", "pending"])
def test_an_unknown_or_unissued_code_is_404(client, code):
    pending = CertificateFactory()  # not issued yet
    code = pending.code if code == "pending" else code

    response = client.get(f"/api/v1/certificates/{code}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_results_cost_the_same_queries_for_more_rows(
    client, public_challenge, django_assert_max_num_queries
):
    challenge = public_challenge("closed", slug="many")
    entries = [
        SubmissionFactory(challenge=challenge, title=f"E{n}", status="finalist") for n in range(12)
    ]
    round_ = RoundFactory(challenge=challenge, status=RoundStatus.PUBLISHED)
    publication = PublicationFactory(round=round_, rows=[_row(1, entries[0], "50.00")])
    with django_assert_max_num_queries(8) as few:
        assert len(client.get("/api/v1/challenges/many/results").json()["rows"]) == 1
    publication.rows = [_row(n + 1, entry, "50.00") for n, entry in enumerate(entries)]
    publication.save()

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/challenges/many/results").json()["rows"]) == 12
