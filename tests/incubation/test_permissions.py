"""Who sees which project: one URL-by-role matrix (404 outside one's scope)."""

import pytest
from django.contrib.auth.models import Group, Permission

from submissions.models import TeamMembership
from tests.factories import ChallengeFactory, CohortFactory, UserFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cohort, challenge, manager):
    """Two projects in one cohort, and a third in another challenge's cohort."""
    ours = make_project(cohort, title="Mehr")
    neighbour = make_project(cohort, title="Niqob")
    other_challenge = ChallengeFactory()
    other_manager = UserFactory(username="other-manager", is_staff=True)
    other_manager.groups.add(Group.objects.get(name="Challenge managers"))
    other_challenge.managers.add(other_manager)
    # May enter the admin (pages, say) but runs no programme.
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    elsewhere = make_project(CohortFactory(challenges=[other_challenge]), title="Elsewhere")

    mentor = UserFactory(username="mentor")
    ours.mentors.add(mentor)
    member = UserFactory(username="member")
    TeamMembership.objects.create(team=ours.team, challenge=challenge, user=member)
    return {
        "ours": ours,
        "neighbour": neighbour,
        "elsewhere": elsewhere,
        "users": {
            "manager": manager,
            "other-manager": other_manager,
            "mentor": mentor,
            "member": member,
            "lead": ours.owner,
            "stranger": UserFactory(username="stranger"),
            "editor": editor,
        },
    }


# role → which of the projects they may open
SEES = {
    "manager": {"ours", "neighbour"},
    "other-manager": {"elsewhere"},
    "mentor": {"ours"},
    "member": {"ours"},
    "lead": {"ours"},
    "stranger": set(),
    "editor": set(),
}


@pytest.mark.parametrize("role", sorted(SEES))
@pytest.mark.parametrize("which", ["ours", "neighbour", "elsewhere"])
def test_project_page_answers_404_outside_ones_scope(client, world, role, which):
    client.force_login(world["users"][role])
    project = world[which]

    response = client.get(f"/en/incubation/projects/{project.pk}/")

    expected = 200 if which in SEES[role] else 404
    assert response.status_code == expected
    if expected == 200:
        assert project.title in response.content.decode()


@pytest.mark.parametrize("role", sorted(SEES))
def test_my_projects_lists_only_ones_own(client, world, role):
    client.force_login(world["users"][role])

    response = client.get("/en/incubation/")

    titles = {p.title for p in response.context["projects"]}
    expected = (
        {world[w].title for w in SEES[role]} if role in ("mentor", "member", "lead") else set()
    )
    assert titles == expected


@pytest.mark.parametrize(
    ("role", "status", "titles"),
    [
        ("manager", 200, ["Mehr", "Niqob"]),
        ("other-manager", 200, ["Elsewhere"]),
        # The staff pages are in the admin: people without admin access go to its login,
        # admin users who run no programme get 404.
        ("mentor", 302, None),
        ("member", 302, None),
        ("stranger", 302, None),
        ("editor", 404, None),
    ],
)
def test_staff_table_is_scoped_to_managed_challenges(client, world, role, status, titles):
    client.force_login(world["users"][role])

    response = client.get("/admin/incubation/projects/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")
    if titles is not None:
        assert [p.title for p in response.context["projects"]] == titles


def test_staff_of_another_challenge_cannot_move_or_open_its_cohort(client, world):
    client.force_login(world["users"]["other-manager"])
    ours = world["ours"]
    pilot = ours.cohort.stages.get(slug="pilot")

    moved = client.post(f"/admin/incubation/projects/{ours.pk}/move/", {"stage": pilot.pk})
    cohort_page = client.get(f"/admin/incubation/cohorts/{ours.cohort_id}/")
    board = client.get(f"/admin/incubation/?cohort={ours.cohort_id}")
    csv = client.get("/admin/incubation/projects.csv")

    assert (moved.status_code, cohort_page.status_code, board.status_code) == (404, 404, 404)
    assert "Mehr" not in csv.content.decode()
    ours.refresh_from_db()
    assert ours.stage.slug == "onboarding"


def test_mentor_cannot_submit_a_report_but_can_comment(client, world):
    from incubation.services.reports import submit_report

    ours = world["ours"]
    report = submit_report(
        project=ours,
        period_start=ours.cohort.starts_on,
        narrative="First month.",
        by=world["users"]["lead"],
    )
    client.force_login(world["users"]["mentor"])

    form = client.get(f"/en/incubation/projects/{ours.pk}/report/")
    comment = client.post(
        f"/en/incubation/reports/{report.pk}/comment/", {"body": "Good start."}, follow=True
    )

    assert form.status_code == 403
    # Not a bare refusal: why, and what a mentor can do instead.
    assert "Progress reports are filed by the project&#x27;s team." in form.content.decode()
    assert "comment on each report" in form.content.decode()
    assert "Good start." in comment.content.decode()


def test_team_member_cannot_comment_on_another_teams_report(client, world):
    from incubation.services.reports import submit_report

    neighbour = world["neighbour"]
    report = submit_report(
        project=neighbour,
        period_start=neighbour.cohort.starts_on,
        narrative="First month.",
        by=neighbour.owner,
    )
    client.force_login(world["users"]["member"])

    response = client.post(f"/en/incubation/reports/{report.pk}/comment/", {"body": "Hi"})

    assert response.status_code == 404
    assert report.comments.count() == 0


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(f"/en/incubation/projects/{world['ours'].pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_old_staff_addresses_lead_to_the_admin_pages(client, world):
    client.force_login(world["users"]["manager"])

    board = client.get("/en/incubation/staff/")
    table = client.get("/uz/incubation/staff/projects/?stage=pilot")
    followed = client.get("/en/incubation/staff/projects/", follow=True)

    assert (board.status_code, board["Location"]) == (301, "/admin/incubation/")
    assert table["Location"] == "/admin/incubation/projects/?stage=pilot"
    assert followed.redirect_chain == [("/admin/incubation/projects/", 301)]
    assert [p.title for p in followed.context["projects"]] == ["Mehr", "Niqob"]


def test_the_admin_menu_links_to_the_board_for_programme_staff_only(client, world):
    client.force_login(world["users"]["manager"])
    staff_home = client.get("/admin/").content.decode()
    client.force_login(world["users"]["editor"])
    editor_home = client.get("/admin/").content.decode()

    assert "/admin/incubation/" in staff_home
    assert "/admin/incubation/" not in editor_home


def test_a_staff_action_on_the_project_page_goes_back_to_that_page_in_its_language(client, world):
    client.force_login(world["users"]["manager"])
    ours = world["ours"]
    page = client.get(f"/ru/incubation/projects/{ours.pk}/").content.decode()

    answer = client.post(
        f"/admin/incubation/projects/{ours.pk}/links/",
        {"label": "Site", "url": "https://example.uz/", "language": "ru"},
        follow=True,
    )
    forged = client.post(
        f"/admin/incubation/projects/{ours.pk}/links/",
        {"label": "Site", "url": "https://example.uz/", "language": "xx"},
    )

    assert f'action="/admin/incubation/projects/{ours.pk}/links/"' in page
    assert '<input type="hidden" name="language" value="ru">' in page
    assert answer.redirect_chain == [(f"/ru/incubation/projects/{ours.pk}/", 302)]
    assert ours.links.count() == 2
    # An unknown language falls back to the admin's own.
    assert forged["Location"].endswith(f"/incubation/projects/{ours.pk}/")
