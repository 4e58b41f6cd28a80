"""The site header: cached menu and settings, kept fresh by page and settings changes;
language links per page; personal links per person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cms import navigation
from cms.models import SiteSettings, StandardPage
from incubation.services.projects import incubate_submission
from judging.enums import JurorStatus
from judging.models import Juror
from notifications.models import Notification
from tests.factories import (
    ChallengeFactory,
    CohortFactory,
    SubmissionFactory,
    SuperuserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def menu_page(parent, title, slug):
    page = StandardPage(title=title, slug=slug, show_in_menus=True)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def nav_html(client, url="/en/"):
    html = client.get(url).content.decode()
    return html[
        html.index('<nav class="wrap main-nav"') : html.index("</nav>", html.index("main-nav"))
    ]


def login_url():
    with translation.override("en"):
        return reverse("account_login")


def test_header_costs_no_query_once_cached(client, home_pages):
    menu_page(home_pages["en"], "About", "about")
    SiteSettings.objects.create(site_id=home_pages["en"].get_site().pk, phone="+998 71 200 00 00")
    client.get(login_url())  # fills the cache

    with CaptureQueriesContext(connection) as queries:
        html = client.get(login_url()).content.decode()

    assert [q["sql"] for q in queries.captured_queries] == []
    assert '<a href="/en/about/">About</a>' in html
    assert "+998 71 200 00 00" in html


def test_header_queries_on_a_page_are_its_translations_only(client, home_pages):
    menu_page(home_pages["en"], "About", "about")
    client.get("/en/")

    with CaptureQueriesContext(connection) as warm:
        html = client.get("/en/").content.decode()

    sqls = [q["sql"] for q in warm.captured_queries]
    wheres = [sql.partition("WHERE")[2] for sql in sqls]
    # Every live translation of the page (Wagtail's routing asks for one locale only).
    translations = [w for w in wheres if '"translation_key" =' in w and '"locale_id" =' not in w]
    menus = [w for w in wheres if '"show_in_menus"' in w]
    assert not menus
    assert not [sql for sql in sqls if "cms_sitesettings" in sql]
    assert len(translations) == 1  # shared by the language switcher and the hreflang links
    assert '<a href="/en/about/">About</a>' in html
    assert '<link rel="alternate" hreflang="ru" href="http://localhost/ru/">' in html


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_menu_is_cached_per_language(client, home_pages, language):
    for code in ("uz", "ru", "en"):
        menu_page(home_pages[code], f"Page [{code}]", "info")

    nav = nav_html(client, f"/{language}/")

    assert f"Page [{language}]" in nav
    assert [code for code in ("uz", "ru", "en") if f"Page [{code}]" in nav] == [language]


def test_publishing_a_page_adds_it_to_the_cached_menu(client, home_pages):
    page = StandardPage(title="Contacts", slug="contacts", show_in_menus=True, live=False)
    home_pages["en"].add_child(instance=page)
    assert "Contacts" not in nav_html(client)

    page.save_revision().publish()

    assert '<a href="/en/contacts/">Contacts</a>' in nav_html(client)


def test_unpublishing_and_renaming_update_the_cached_menu(client, home_pages):
    page = menu_page(home_pages["en"], "Partners", "partners")
    assert "Partners" in nav_html(client)

    page.title = "Our partners"
    page.save_revision().publish()
    assert "Our partners" in nav_html(client)

    page.unpublish()
    assert "partners" not in nav_html(client).lower()


def test_moving_and_deleting_update_the_cached_menu(client, home_pages):
    parent = menu_page(home_pages["en"], "About", "about")
    page = menu_page(home_pages["en"], "Team", "team")
    assert "Team" in nav_html(client)

    page.move(parent, pos="last-child")
    assert "Team" not in nav_html(client)

    parent.delete()
    assert "About" not in nav_html(client)


def test_saving_site_settings_updates_the_cached_footer(client, home_pages):
    site = home_pages["en"].get_site()
    assert "info@tanlov.uz" not in client.get("/en/").content.decode()

    settings = SiteSettings.for_site(site)
    settings.contact_email = "info@tanlov.uz"
    settings.save()

    assert 'href="mailto:info@tanlov.uz"' in client.get("/en/").content.decode()


def test_language_switcher_falls_back_to_the_home_page_of_untranslated_languages(
    client, home_pages
):
    menu_page(home_pages["en"], "Only English", "only-english")

    html = client.get("/en/only-english/").content.decode()

    assert 'href="/en/only-english/" lang="en"' in html
    assert 'href="/uz/" lang="uz"' in html
    assert 'href="/ru/" lang="ru"' in html


def test_language_switcher_on_an_app_page_swaps_the_prefix_and_keeps_the_query(client, home_pages):
    html = client.get(f"{login_url()}?next=/en/judging/").content.decode()

    ru = login_url().replace("/en/", "/ru/", 1)
    assert f'href="{ru}?next=/en/judging/" lang="ru"' in html


# --- personal links -----------------------------------------------------------------------
def personal(client, user):
    client.force_login(user)
    nav = nav_html(client)
    return [name for name in ("Jury", "Incubation") if f">{name}</a>" in nav]


def test_personal_links_for_a_plain_participant(client, home_pages):
    assert personal(client, UserFactory()) == []


def test_personal_links_for_an_active_juror(client, home_pages):
    user = UserFactory()
    Juror.objects.create(
        challenge=ChallengeFactory(), email=user.email, user=user, status=JurorStatus.ACTIVE
    )

    assert personal(client, user) == ["Jury"]
    assert f'href="{reverse("judging:home")}"' in nav_html(client)


def test_personal_links_hide_the_jury_of_a_declined_juror(client, home_pages):
    user = UserFactory()
    Juror.objects.create(
        challenge=ChallengeFactory(), email=user.email, user=user, status=JurorStatus.DECLINED
    )

    assert personal(client, user) == []


def test_personal_links_for_incubation_staff_and_teams(client, home_pages):
    challenge = ChallengeFactory()
    cohort = CohortFactory(challenges=[challenge])
    manager = UserFactory()
    cohort.managers.add(manager)
    cohort.save()  # a ParentalManyToManyField is written on save
    submission = SubmissionFactory(challenge=challenge, status="winner")
    incubate_submission(cohort=cohort, submission=submission, by=SuperuserFactory())

    assert personal(client, manager) == ["Incubation"]
    assert personal(client, submission.owner) == ["Incubation"]
    assert personal(client, SuperuserFactory()) == ["Incubation"]


def test_personal_links_cost_one_query_then_none(client, home_pages, django_assert_num_queries):
    user = UserFactory()
    Juror.objects.create(
        challenge=ChallengeFactory(), email=user.email, user=user, status=JurorStatus.ACTIVE
    )

    with django_assert_num_queries(1):
        first = navigation.personal_links(user)
    with django_assert_num_queries(0):
        again = navigation.personal_links(user)

    assert first == again == navigation.PersonalLinks(jury=True, incubation=False)


def test_personal_links_in_the_header_are_asked_once_then_cached(client, home_pages):
    user = UserFactory()
    Juror.objects.create(
        challenge=ChallengeFactory(), email=user.email, user=user, status=JurorStatus.ACTIVE
    )
    client.force_login(user)

    pages = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/")
        assert response.status_code == 200
        asked = [q["sql"] for q in queries.captured_queries if "judging_juror" in q["sql"]]
        pages.append((len(asked), ">Jury</a>" in response.content.decode()))

    assert pages == [(1, True), (0, True)]  # asked once, then from the cache


def test_unread_bell_counts_each_persons_own_notifications(client, home_pages):
    reader, other = UserFactory(), UserFactory()
    for _ in range(2):
        Notification.objects.create(event="test", recipient=reader)

    client.force_login(reader)
    assert "2 unread" in nav_html(client)
    client.force_login(other)
    assert "unread" not in nav_html(client)
    # The bell is drawn, not an emoji that renders as an empty box without an emoji font.
    bell = nav_html(client).split('class="bell"', 1)[1].split("</a>", 1)[0]
    assert "<svg" in bell
    assert "\U0001f514" not in bell


@pytest.mark.parametrize(
    ("language", "title"),
    [("uz", "Muvaffaqiyat tarixlari"), ("ru", "Истории успеха"), ("en", "Success stories")],
)
def test_demo_menu_links_the_success_stories(client, home_pages, language, title):
    import io

    from cms.demo import challenges as demo

    demo.load(stdout=io.StringIO())
    html = client.get(f"/{language}/").content.decode()
    nav = html.split('class="wrap main-nav"', 1)[1].split("</nav>", 1)[0]
    assert f">{title}</a>" in nav
