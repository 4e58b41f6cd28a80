"""Staff edit challenges in the Wagtail admin; managers see only their own challenges."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from challenges.models import Challenge
from core.models import AuditEntry
from tests.factories import ChallengeFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def challenge_form(**overrides):
    data = {
        "title": "Ochiq maʼlumotlar 2027",
        "title_ru": "",
        "title_en": "Open Data 2027",
        "slug": "open-data-2027",
        "kind": "open_data",
        "organiser": "UNDP",
        "time_zone": "Asia/Tashkent",
        "grace_minutes": 5,
        "gender_rule": "any",
        "team_min_size": 1,
        "team_max_size": 4,
        "individual_entries": "on",
        "require_summary": "on",
        "phases": inline_formset(
            [
                {
                    "kind": "submission",
                    "starts_at": "2027-03-01 09:00",
                    "ends_at": "2027-03-31 23:59",
                }
            ]
        ),
        "tracks": inline_formset([{"name": "Taʼlim", "slug": "talim"}]),
        "prizes": inline_formset([{"place": 1, "title": "Birinchi", "currency": "UZS"}]),
        "entry_fields": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_challenge_managers_group_has_admin_access(manager):
    group = Group.objects.get(name="Challenge managers")
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"access_admin", "add_challenge", "change_challenge", "view_challenge"} <= codenames
    assert "delete_challenge" not in codenames


def test_manager_lists_only_the_challenges_they_manage(client, manager):
    mine = ChallengeFactory(title="Mening tanlovim")
    mine.managers.add(manager)
    ChallengeFactory(title="Boshqa tanlov")
    client.force_login(manager)

    html = client.get(reverse("challenge:index")).content.decode()

    assert "Mening tanlovim" in html
    assert "Boshqa tanlov" not in html


def test_other_managers_challenge_answers_404(client, manager):
    other = ChallengeFactory()
    client.force_login(manager)

    # (LocaleMiddleware first tries the URL with a language prefix; it is a 404 there too.)
    edit = reverse("challenge:edit", args=[other.pk])
    delete = reverse("challenge:delete", args=[other.pk])

    assert client.get(edit, follow=True).status_code == 404
    assert client.post(edit, challenge_form(), follow=True).status_code == 404
    assert client.post(delete, follow=True).status_code == 404
    assert Challenge.objects.filter(pk=other.pk).exists()


def test_superuser_sees_every_challenge(client):
    ChallengeFactory(title="Birinchi")
    ChallengeFactory(title="Ikkinchi")
    client.force_login(SuperuserFactory())

    html = client.get(reverse("challenge:index")).content.decode()

    assert "Birinchi" in html
    assert "Ikkinchi" in html


def test_manager_creates_challenge_with_inline_phases_and_manages_it(client, manager):
    client.force_login(manager)

    response = client.post(reverse("challenge:add"), challenge_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    challenge = Challenge.objects.get(slug="open-data-2027")
    phase = challenge.phases.get()
    # Typed in Tashkent time: 23:59 in Tashkent is 18:59 UTC.
    assert phase.ends_at.isoformat() == "2027-03-31T18:59:00+00:00"
    assert list(challenge.tracks.values_list("slug", flat=True)) == ["talim"]
    assert challenge.prizes.get().place == 1
    assert list(challenge.managers.all()) == [manager]
    assert AuditEntry.objects.filter(
        action="challenges.challenge.created", object_id=str(challenge.pk)
    ).exists()


def test_phase_that_ends_before_it_starts_is_refused(client, manager):
    client.force_login(manager)
    bad = challenge_form(
        phases=inline_formset(
            [{"kind": "submission", "starts_at": "2027-03-31 09:00", "ends_at": "2027-03-01 09:00"}]
        )
    )

    response = client.post(reverse("challenge:add"), bad)

    assert response.status_code == 200
    # The admin speaks the site's default language, Uzbek.
    assert "Davr boshlanganidan keyin tugashi kerak." in response.content.decode()
    assert not Challenge.objects.filter(slug="open-data-2027").exists()


def test_phase_times_are_read_in_the_challenges_own_time_zone(client, manager):
    client.force_login(manager)

    client.post(reverse("challenge:add"), challenge_form(time_zone="Europe/Moscow"))

    challenge = Challenge.objects.get(slug="open-data-2027")
    # 23:59 in Moscow (UTC+3) is 20:59 UTC.
    assert challenge.phases.get().ends_at.isoformat() == "2027-03-31T20:59:00+00:00"
    edit = client.get(reverse("challenge:edit", args=[challenge.pk])).content.decode()
    assert "2027-03-31 23:59" in edit


def test_the_challenge_form_names_the_language_of_each_title(client):
    client.force_login(SuperuserFactory())
    html = client.get(reverse("challenge:add"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    labels = re.findall(r'<label[^>]*for="id_title[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert labels == ["Title (uz)", "Title (ru)", "Title (en)"]
