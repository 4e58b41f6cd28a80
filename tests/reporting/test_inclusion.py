"""The dashboard's inclusion figures — people by district (within the region filter) and
by the self-declared disability answer — exact in the aggregates, small cells shown as
"fewer than 5" on the page and in the downloads, never a person listed."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.users.models import UserProfile

from challenges.models import District
from reporting import aggregates
from submissions.models import Profile
from tests.factories import (
    ChallengeFactory,
    DistrictFactory,
    SubmissionFactory,
    UserFactory,
    participant,
)
from tests.reporting.helpers import region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def district(region_code, slug, name):
    qr = region(region_code)
    found = District.objects.filter(code=f"{region_code}-{slug}").first()
    return found or DistrictFactory(region=qr, code=f"{region_code}-{slug}", name_en=name)


@pytest.fixture
def world():
    """Seven people in Karakalpakstan (five in Nukus city, one in Chimbay, one with no
    district), one in Tashkent region; disability: five "no", one "yes", two unanswered."""
    challenge = ChallengeFactory(title="Inclusion A")
    qr = region("UZ-QR")
    nukus = district("UZ-QR", "nukus-city", "Nukus city")
    chimbay = district("UZ-QR", "chimbay-district", "Chimbay district")
    tk_district = district("UZ-TO", "chirchiq-city", "Chirchiq city")
    people = [
        *(
            participant(region=qr, district=nukus, disability="no", full_name=f"Nukus {i}")
            for i in range(5)
        ),
        participant(region=qr, district=chimbay, disability="yes", full_name="Only in Chimbay"),
        participant(region=qr, district=None, full_name="No district"),
        participant(region=tk_district.region, district=tk_district, full_name="Chirchiq"),
    ]
    for person in people:
        SubmissionFactory(challenge=challenge, team=None, owner=person, status="draft")
    return {
        "challenge": challenge,
        "qr": qr,
        "nukus": nukus,
        "chimbay": chimbay,
        "tk_district": tk_district,
    }


def _board(world, **narrowing):
    return aggregates.dashboard(aggregates.scope_for([world["challenge"]], **narrowing))


def test_district_counts_are_exact_and_narrowed_by_the_region(world):
    every = _board(world).breakdowns["district"]
    assert {b.key: b.count for b in every.bars} == {
        str(world["nukus"].id): 5,
        str(world["chimbay"].id): 1,
        str(world["tk_district"].id): 1,
        "unknown": 1,
    }
    assert every.bars[0].key == str(world["nukus"].id)  # most people first
    in_qr = _board(world, region=world["qr"]).breakdowns["district"]
    in_region = District.objects.filter(region=world["qr"]).values_list("pk", flat=True)
    assert {b.key for b in in_qr.bars} == {*(str(pk) for pk in in_region), "unknown"}
    assert in_qr.count(str(world["nukus"].id)) == 5
    assert in_qr.count(str(world["chimbay"].id)) == 1
    assert in_qr.count(str(world["tk_district"].id)) == 0
    assert in_qr.total == 7 == Profile.objects.filter(region=world["qr"]).count()


def test_disability_counts_match_direct_queries(world):
    figure = _board(world).breakdowns["disability"]
    assert {b.key: b.count for b in figure.bars} == {
        "yes": Profile.objects.filter(disability="yes").count(),
        "no": Profile.objects.filter(disability="no").count(),
        "undisclosed": 0,
        "unknown": Profile.objects.filter(disability="").count(),
    }
    assert figure.count("no") == 5
    assert figure.count("yes") == 1
    assert figure.count("unknown") == 2


def test_small_cells_read_fewer_than_5(world):
    figure = _board(world).breakdowns["disability"]
    shown = {c.key: c.shown for c in figure.cells}
    assert shown == {"yes": "fewer than 5", "no": 5, "undisclosed": 0, "unknown": "fewer than 5"}
    _columns, rows = aggregates.table(figure)
    assert ["Yes", "fewer than 5"] in rows
    assert ["No", 5] in rows
    # Other figures show every count.
    gender = _board(world).breakdowns["gender"]
    assert all(c.shown == c.count for c in gender.cells)


def _manager(challenge):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Challenge managers"))
    challenge.managers.add(user)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_page_and_downloads_hide_small_cells_and_name_nobody(client, world):
    challenge = world["challenge"]
    client.force_login(_manager(challenge))
    page = client.get(f"/admin/reporting/challenge/{challenge.pk}/?region={world['qr'].pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<tr data-key="{world["nukus"].id}"><th scope="row">' in html
    assert "fewer than 5" in html
    assert 'data-figure="district"' in html
    assert 'data-figure="disability"' in html
    for name in ("Only in Chimbay", "Nukus 0", "No district"):
        assert name not in html
    text = client.get(
        f"/admin/reporting/export/district.csv?challenge={challenge.pk}&region={world['qr'].pk}"
    ).content.decode("utf-8-sig")
    rows = {row[0]: row[1] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert rows[world["nukus"].name_en] == "5"  # the admin speaks English to this user
    assert rows[world["chimbay"].name_en] == "fewer than 5"
    assert rows["Not given"] == "fewer than 5"
    xlsx = client.get(f"/admin/reporting/export/disability.xlsx?challenge={challenge.pk}")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
