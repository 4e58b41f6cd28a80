"""Demo site structure: locales, the home page in three languages, the Wagtail Site."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage

HOME_TEXT = {
    "uz": {
        "title": "Tanlov — innovatsion tanlovlar",
        "intro": "Gʻoyangizni taqdim eting, jamoa tuzing va Oʻzbekiston uchun yechimlar yarating.",
    },
    "ru": {
        "title": "Tanlov — инновационные конкурсы",
        "intro": "Предложите идею, соберите команду и создайте решения для Узбекистана.",
    },
    "en": {
        "title": "Tanlov — innovation challenges",
        "intro": "Bring an idea, form a team and build solutions for Uzbekistan.",
    },
}


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in HOME_TEXT}


@transaction.atomic
def ensure_home_pages():
    """Create (or update) the home page in uz and its ru/en translations; return them."""
    locales = ensure_locales()
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (transactional tests) has no tree at all
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locales["uz"]))
    # Wagtail's initial migration leaves a placeholder "Welcome" page; replace it.
    for placeholder in Page.objects.filter(depth=2).exclude(content_type__model="homepage"):
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    root.refresh_from_db()

    homes = {}
    source = HomePage.objects.filter(locale=locales["uz"]).first()
    if source is None:
        source = HomePage(slug="home", locale=locales["uz"], **HOME_TEXT["uz"])
        root.add_child(instance=source)
    homes["uz"] = source
    for code in ("ru", "en"):
        page = HomePage.objects.filter(translation_key=source.translation_key, locale=locales[code])
        page = page.first() or source.copy_for_translation(locales[code])
        homes[code] = page
    for code, page in homes.items():
        page = page.specific
        text = HOME_TEXT[code]
        if not page.live or page.title != text["title"] or page.intro != text["intro"]:
            page.title, page.intro = text["title"], text["intro"]
            page.save_revision().publish()
        homes[code] = page

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=source,
            is_default_site=True,
            site_name="Tanlov",
        )
    elif site.root_page_id != source.pk:
        site.root_page = source
        site.site_name = "Tanlov"
        site.save()
    return homes
