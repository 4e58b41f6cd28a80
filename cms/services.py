"""Editorial actions other apps call (incubation's admin action drafts success stories)."""

from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.operations import translate_object

from core import audit

from .models import HomePage, StoriesIndexPage, SuccessStoryPage
from .pages import ensure_translated_page

SOURCE_LANGUAGE = "uz"
STORIES_TITLES = {
    "uz": "Muvaffaqiyat tarixlari",
    "ru": "Истории успеха",
    "en": "Success stories",
}


def ensure_stories_index():
    """The success-stories index under the home page in every language; returns the uz one."""
    homes = {
        home.locale.language_code: home
        for home in HomePage.objects.select_related("locale").filter(
            locale__language_code__in=STORIES_TITLES
        )
    }
    if SOURCE_LANGUAGE not in homes:
        raise ValueError(_("There is no home page to put success stories under."))
    existing = StoriesIndexPage.objects.child_of(homes[SOURCE_LANGUAGE]).first()
    slug = existing.slug if existing else "stories"
    pages = ensure_translated_page(
        homes,
        StoriesIndexPage,
        slug=slug,
        texts={code: {"title": title} for code, title in STORIES_TITLES.items() if code in homes},
    )
    return pages[SOURCE_LANGUAGE]


def _free_slug(parent, title):
    base = slugify(title)[:70] or "story"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def publish_success_story(*, title, intro, paragraphs, by, parent=None):
    """Draft a success story in Uzbek, with Russian and English translations set up.

    The page is not published: an editor reviews it, the translators translate it in
    wagtail-localize's editor, and the moderation workflow publishes it.

    Side effects: creates a draft ``SuccessStoryPage`` (uz) under ``parent`` (default: the
    stories index, created with its translations if missing), a draft revision by ``by``,
    draft ru/en translation pages with wagtail-localize translation records, and an audit
    entry ``cms.success_story.drafted``.
    """
    parent = (parent or ensure_stories_index()).specific
    page = SuccessStoryPage(
        title=title,
        slug=_free_slug(parent, title),
        intro=intro,
        body=[("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in paragraphs if text],
        live=False,
        owner=by,
        locale=parent.locale,
    )
    parent.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    targets = list(Locale.objects.exclude(pk=page.locale_id))
    translate_object(page, targets, user=by)
    audit.record(action="cms.success_story.drafted", obj=page, by=by)
    return page
