"""Inclusion data: districts chosen within the region (legacy free text matched or listed
for staff), and the self-declared disability answer, which only ever reaches counts."""

import csv
import importlib
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from challenges.models import District, Region
from challenges.services.districts import match
from core.models import AuditEntry
from submissions.models import Profile, TeamMembership
from submissions.selectors import participants_of, profile_counts
from submissions.services import entries, files
from tests.factories import ProfileFactory, UserFactory
from tests.submissions.builders import open_challenge, pdf_upload, team_entry

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 7)


def _district(code):
    return District.objects.select_related("region").get(code=code)


def _region(code):
    return Region.objects.get(code=code)


# --- the list -------------------------------------------------------------------------
def test_the_migration_loads_209_districts_with_three_names():
    districts = District.objects.select_related("region")

    assert districts.count() == 209
    assert not districts.filter(name="").exists()
    assert not districts.filter(name_ru="").exists()
    assert not districts.filter(name_en="").exists()
    assert districts.filter(region__code="UZ-QR").count() == 17
    assert districts.filter(region__code="UZ-TK").count() == 12
    nukus = _district("UZ-QR-nukus-city")
    assert (nukus.name, nukus.name_ru, nukus.name_en) == (
        "Nukus shahri",
        "город Нукус",
        "Nukus city",
    )
    with translation.override("ru"):
        assert str(nukus) == "город Нукус"


# --- matching free text ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Nukus shahri", "UZ-QR-nukus-city"),
        ("nukus  shahri", "UZ-QR-nukus-city"),
        (" NUKUS SHAHRI ", "UZ-QR-nukus-city"),
        ("Nukus city", "UZ-QR-nukus-city"),
        ("город  Нукус", "UZ-QR-nukus-city"),
        ("Qoʻngʻirot tumani", "UZ-QR-kunirat-district"),
        ("Qo'ng'irot tumani", "UZ-QR-kunirat-district"),
        ("qongirot tumani", "UZ-QR-kunirat-district"),
        ("Кунградский район", "UZ-QR-kunirat-district"),
        # Without "tumani": the one district of the region answering to the name.
        ("Moʻynoq", "UZ-QR-moynok-district"),
    ],
)
def test_a_typed_name_finds_its_district_in_the_region(typed, code):
    karakalpakstan = District.objects.filter(region__code="UZ-QR")

    assert match(typed, karakalpakstan) == _district(code)


@pytest.mark.parametrize(
    "typed",
    [
        "Chilonzor tumani",  # in Tashkent city, not in Karakalpakstan
        "Chilonzor",
        "Nukus",  # the district or the city: not for us to guess
        "Nukus shahri 5-mavze",
        "",
        "   ",
    ],
)
def test_a_typed_name_outside_the_region_or_unclear_matches_nothing(typed):
    assert match(typed, District.objects.filter(region__code="UZ-QR")) is None


def test_the_same_name_matches_in_its_own_region():
    assert match("chilonzor", District.objects.filter(region__code="UZ-TK")) == _district(
        "UZ-TK-chilonzor-district"
    )


BEFORE = [
    ("submissions", "0008_invitation_declined_revoked"),
    ("challenges", "0013_load_districts"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_matches_typed_districts_and_keeps_the_rest():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    OldProfile = old.get_model("submissions", "Profile")
    OldRegion = old.get_model("challenges", "Region")
    # The reference rows as the migrations write them (an earlier transactional test may
    # have flushed the database since they ran).
    importlib.import_module("challenges.migrations.0013_load_districts").load_districts(old, None)
    qr, tk = OldRegion.objects.get(code="UZ-QR"), OldRegion.objects.get(code="UZ-TK")
    typed = {
        "a": (qr, "nukus  shahri"),
        "b": (qr, "Qo'ng'irot tumani"),
        "c": (qr, "Chilonzor tumani"),  # another region's district
        "d": (tk, "Chilonzor"),
        "e": (None, "Chilonzor tumani"),  # no region to look in
        "f": (tk, "Mahalla 14"),
        "g": (tk, ""),
    }
    for name, (region, text) in typed.items():
        OldProfile.objects.create(
            user=User.objects.create(username=name), full_name=name, region=region, district=text
        )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    found = {
        p.user.username: (p.district.code if p.district else None, p.district_typed)
        for p in Profile.objects.select_related("user", "district")
    }
    assert found == {
        "a": ("UZ-QR-nukus-city", ""),
        "b": ("UZ-QR-kunirat-district", ""),
        "c": (None, "Chilonzor tumani"),
        "d": ("UZ-TK-chilonzor-district", ""),
        "e": (None, "Chilonzor tumani"),
        "f": (None, "Mahalla 14"),
        "g": (None, ""),
    }


# --- the profile form ------------------------------------------------------------------------
def _profile_data(**overrides):
    return {
        "full_name": "Aziz Tursunov",
        "birth_date": "2003-04-05",
        "gender": "male",
        "preferred_language": "uz",
        "consent_terms": "on",
        "consent_privacy": "on",
        **overrides,
    }


def test_the_profile_refuses_a_district_of_another_region(client):
    user = UserFactory()
    client.force_login(user)
    with translation.override("en"):
        url = reverse("submissions:profile")

    answer = client.post(
        url,
        _profile_data(
            region=_region("UZ-QR").pk, district=_district("UZ-TK-chilonzor-district").pk
        ),
    )

    assert answer.status_code == 200
    assert "Chilonzor district is not in Republic of Karakalpakstan" in answer.content.decode()
    assert not Profile.objects.filter(user=user).exists()


def test_the_profile_saves_a_district_of_the_region_and_settles_the_typed_one(client):
    profile = ProfileFactory(region=_region("UZ-QR"), district_typed="Nukus sh.")
    client.force_login(profile.user)
    nukus = _district("UZ-QR-nukus-city")

    page = client.get(reverse("submissions:profile")).content.decode()
    answer = client.post(
        reverse("submissions:profile"),
        _profile_data(region=nukus.region_id, district=nukus.pk, disability="no"),
    )

    assert "Nukus sh." in page  # "you wrote … earlier: choose the district you meant"
    assert answer.status_code == 302
    profile.refresh_from_db()
    assert (profile.district, profile.district_typed, profile.disability) == (nukus, "", "no")


def test_the_profile_lists_districts_grouped_by_region_for_pages_without_scripts(client):
    client.force_login(UserFactory())
    with translation.override("en"):
        page = client.get(reverse("submissions:profile")).content.decode()

    qr = _region("UZ-QR")
    assert '<optgroup label="Republic of Karakalpakstan">' in page
    nukus = _district("UZ-QR-nukus-city")
    assert re.search(rf'<option value="{nukus.pk}" data-region="{qr.pk}"\s*>Nukus city<', page)
    assert "js/profile.js" in page
    assert "used only in anonymous statistics" in page


def test_a_district_without_a_region_gives_the_profile_its_region(client):
    user = UserFactory()
    client.force_login(user)
    nukus = _district("UZ-QR-nukus-city")

    answer = client.post(reverse("submissions:profile"), _profile_data(district=nukus.pk))

    assert answer.status_code == 302
    assert Profile.objects.get(user=user).region.code == "UZ-QR"


# --- staff settle the typed districts --------------------------------------------------------
def test_staff_see_and_settle_the_unmatched_districts_of_their_challenges(client, manager):
    mine, other = open_challenge(), open_challenge()
    mine.managers.add(manager)
    ours, theirs = team_entry(mine), team_entry(other)
    for entry, typed in ((ours, "Nukus sh."), (theirs, "Kegeyli")):
        Profile.objects.filter(user=entry.owner).update(
            region=_region("UZ-QR"), district_typed=typed
        )
    client.force_login(manager)

    page = client.get("/admin/entries/districts/").content.decode()

    assert "Nukus sh." in page
    assert "Kegeyli" not in page
    viewed = AuditEntry.objects.get(action="submissions.unmatched_districts.viewed")
    assert viewed.actor == manager
    assert viewed.data["profiles"] == [ours.owner.profile.pk]

    tashkent = _district("UZ-TK-chilonzor-district")
    refused = client.post(
        f"/admin/entries/districts/{ours.owner.profile.pk}/", {"district": tashkent.pk}
    )
    outsider = client.post(
        f"/admin/entries/districts/{theirs.owner.profile.pk}/",
        {"district": _district("UZ-QR-kegaili-district").pk},
    )
    nukus = _district("UZ-QR-nukus-city")
    settled = client.post(
        f"/admin/entries/districts/{ours.owner.profile.pk}/", {"district": nukus.pk}
    )

    assert refused.status_code == 302
    assert outsider.status_code == 404
    assert settled.status_code == 302
    mine_now = Profile.objects.get(user=ours.owner)
    assert (mine_now.district, mine_now.district_typed) == (nukus, "")
    assert Profile.objects.get(user=theirs.owner).district_typed == "Kegeyli"
    entry = AuditEntry.objects.get(action="submissions.profile.district_settled")
    assert entry.data == {"typed": "Nukus sh.", "district": "UZ-QR-nukus-city"}


def test_staff_may_give_a_person_without_a_region_any_district(client, manager):
    challenge = open_challenge()
    challenge.managers.add(manager)
    entry = team_entry(challenge)
    Profile.objects.filter(user=entry.owner).update(region=None, district_typed="Nukus sh.")
    client.force_login(manager)
    nukus = _district("UZ-QR-nukus-city")

    page = client.get("/admin/entries/districts/").content.decode()
    client.post(f"/admin/entries/districts/{entry.owner.profile.pk}/", {"district": nukus.pk})

    assert page.count("<option value=") == 1 + 209
    profile = Profile.objects.get(user=entry.owner)
    assert (profile.region.code, profile.district, profile.district_typed) == (
        "UZ-QR",
        nukus,
        "",
    )


def test_a_district_of_another_region_is_refused_to_staff_too(client, manager):
    challenge = open_challenge()
    challenge.managers.add(manager)
    entry = team_entry(challenge)
    Profile.objects.filter(user=entry.owner).update(
        region=_region("UZ-QR"), district_typed="Nukus sh."
    )
    client.force_login(manager)

    client.post(
        f"/admin/entries/districts/{entry.owner.profile.pk}/",
        {"district": _district("UZ-TK-chilonzor-district").pk},
    )

    profile = Profile.objects.get(user=entry.owner)
    assert (profile.district, profile.district_typed) == (None, "Nukus sh.")


# --- disability: never per person --------------------------------------------------------------
def _without_tokens(html):
    """The page without its CSRF tokens (new on each request)."""
    return re.sub(r"[A-Za-z0-9]{32,}", "", html)


def test_disability_never_appears_in_the_staff_entries_list_export_or_detail(
    client, manager, s3_bucket
):
    challenge = open_challenge()
    challenge.managers.add(manager)
    entry = team_entry(challenge)
    files.attach_file(submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner)
    entries.submit_entry(submission=entry, by=entry.owner)
    client.force_login(manager)

    def pages():
        return [
            _without_tokens(client.get(url).getvalue().decode())
            for url in (
                "/admin/entries/",
                "/admin/entries/?format=csv",
                f"/admin/entries/{entry.pk}/",
            )
        ]

    seen = {}
    for answer in ("yes", "no", "undisclosed", ""):
        Profile.objects.filter(user=entry.owner).update(disability=answer)
        seen[answer] = pages()

    assert seen["yes"] == seen["no"] == seen["undisclosed"] == seen[""]
    for page in seen["yes"]:
        assert "disability" not in page.casefold()
        assert "long-term health" not in page.casefold()
        assert "nogiron" not in page.casefold()
    header = next(csv.reader(io.StringIO(seen["yes"][1].lstrip("\ufeff"))))
    assert not any("disability" in column.casefold() for column in header)


# --- counts ------------------------------------------------------------------------------------
@pytest.fixture
def people():
    qr, tk = _region("UZ-QR"), _region("UZ-TK")
    nukus, kungrad = _district("UZ-QR-nukus-city"), _district("UZ-QR-kunirat-district")
    chilonzor = _district("UZ-TK-chilonzor-district")
    rows = [
        # region, district, gender, born, disability
        (qr, nukus, "female", date(2010, 1, 1), "yes"),  # 16
        (qr, nukus, "female", date(2004, 6, 1), "no"),  # 22
        (qr, kungrad, "female", date(2012, 12, 8), ""),  # 13 (14 tomorrow)
        (qr, kungrad, "male", date(2000, 12, 7), "yes"),  # 26 today
        (tk, chilonzor, "male", date(1990, 1, 1), "undisclosed"),  # 36
        (tk, None, "", None, ""),
    ]
    return [
        ProfileFactory(region=r, district=d, gender=g, birth_date=b, disability=x)
        for r, d, g, b, x in rows
    ]


def test_counts_by_region_and_disability(people):
    counts = profile_counts(
        Profile.objects.filter(pk__in=[p.pk for p in people]), "region", "disability"
    )

    assert counts == [
        {"region": "UZ-QR", "disability": "", "count": 1},
        {"region": "UZ-QR", "disability": "no", "count": 1},
        {"region": "UZ-QR", "disability": "yes", "count": 2},
        {"region": "UZ-TK", "disability": "", "count": 1},
        {"region": "UZ-TK", "disability": "undisclosed", "count": 1},
    ]


def test_counts_by_district_gender_and_age_group(people, django_assert_max_num_queries):
    profiles = Profile.objects.filter(pk__in=[p.pk for p in people])

    with django_assert_max_num_queries(1):
        by_district = profile_counts(profiles, "district", "gender")
    by_age = profile_counts(profiles, "age_group", on=ON)

    assert by_district == [
        {"district": "", "gender": "", "count": 1},
        {"district": "UZ-QR-kunirat-district", "gender": "female", "count": 1},
        {"district": "UZ-QR-kunirat-district", "gender": "male", "count": 1},
        {"district": "UZ-QR-nukus-city", "gender": "female", "count": 2},
        {"district": "UZ-TK-chilonzor-district", "gender": "male", "count": 1},
    ]
    assert {row["age_group"]: row["count"] for row in by_age} == {
        "": 1,
        "under-14": 1,
        "14-17": 1,
        "18-24": 1,
        "25-30": 1,
        "31-plus": 1,
    }
    assert all(set(row) <= {"district", "gender", "age_group", "count"} for row in by_district)


def test_counts_of_a_challenge_take_members_not_mentors(people):
    challenge = open_challenge()
    entry = team_entry(challenge)
    TeamMembership.objects.create(
        team=entry.team, challenge=challenge, user=people[0].user, role="member"
    )
    TeamMembership.objects.create(
        team=entry.team, challenge=challenge, user=people[1].user, role="mentor"
    )
    in_challenge = participants_of([challenge])

    assert set(in_challenge) == {entry.owner.profile, people[0]}
    assert sum(row["count"] for row in profile_counts(in_challenge, "gender")) == 2


def test_an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="name"):
        profile_counts(Profile.objects.all(), "name")


# --- the demo ------------------------------------------------------------------------------
def test_demo_people_live_in_real_districts_and_some_answer_the_question(shared_demo):
    from django.db.models import F

    people = Profile.objects.all()

    assert people.filter(district__isnull=False).count() > 50
    assert not people.filter(district__isnull=False).exclude(district__region=F("region")).exists()
    assert people.filter(district__region__code="UZ-QR").values("district").distinct().count() > 3
    assert people.exclude(district_typed="").filter(district__isnull=True).exists()
    answers = {row["disability"]: row["count"] for row in profile_counts(people, "disability")}
    assert answers.get("yes", 0) >= 2
    assert answers.get("no", 0) > answers.get("yes", 0)
    assert answers.get("undisclosed", 0) >= 1
    participant = Profile.objects.get(user__username="participant")
    assert participant.district.code == "UZ-TK-chilonzor-district"


def test_each_staff_viewing_of_people_by_region_gender_and_age_is_audited(
    client, manager, s3_bucket
):
    challenge = open_challenge()
    challenge.managers.add(manager)
    entry = team_entry(challenge)
    client.force_login(manager)

    client.get("/admin/entries/", {"gender": "female"})
    client.get("/admin/entries/", {"format": "csv"}).getvalue()
    client.get(f"/admin/entries/{entry.pk}/")

    trail = {a.action: a for a in AuditEntry.objects.filter(actor=manager)}
    assert trail["submissions.entries.listed"].data == {
        "query": "gender=female",
        "entries": [] if entry.owner.profile.gender != "female" else [entry.pk],
    }
    assert trail["submissions.entries.exported"].data == {
        "format": "csv",
        "query": "format=csv",
        "rows": 1,
    }
    assert trail["submissions.entry.viewed"].object_id == str(entry.pk)
