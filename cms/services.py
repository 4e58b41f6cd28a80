"""Editorial actions: drafting success stories (incubation's admin action calls it) and
sending a translated page to the moderators."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, WorkflowState
from wagtail.rich_text import RichText
from wagtail_localize.models import (
    MissingRelatedObjectError,
    MissingTranslationError,
    TranslationLog,
)
from wagtail_localize.operations import translate_object

from core import audit
from core.access import require
from core.errors import Conflict, Refused

from .models import HomePage, StoriesIndexPage, SuccessStoryPage
from .pages import ensure_translated_page
from .selectors import synced_translation

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


@transaction.atomic
def submit_translation(*, page, by):
    """Save the translated texts of ``page`` as a new draft and send it to the moderators.

    wagtail-localize's editor saves each string as it is typed, but only a publisher can
    turn them into the page ("Publish in …"); this is the editor's way to finish. The
    draft is built the way wagtail-localize builds its previews and saved as a revision
    only — ``Translation.save_target(publish=False)`` would also write the draft into the
    page row itself, which is what the public site serves, so an unapproved translation
    would be visible at once.

    Refused when a text is still untranslated (or has an error), when a page or snippet it
    links to has no translation yet, when the page is already waiting for moderation, when
    no workflow applies to it, or when someone else locked it.

    Side effects: a new revision of ``page`` by ``by`` (the live page and the other
    languages are unchanged), the source page's privacy copied to ``page`` (as
    wagtail-localize does on every save), wagtail-localize's translation log entry, the page's
    moderation workflow started — or resumed after a moderator asked for changes — which
    makes Wagtail notify the moderators, and an audit entry ``cms.translation.submitted``.
    """
    require(by, "cms.submit_translation", page)
    # Lock the page row: two submissions at once would otherwise start two workflows.
    page = Page.objects.select_for_update().get(pk=page.pk).specific
    translation = synced_translation(page)
    if translation is None:
        raise Refused(
            _(
                "This page is not kept in sync by the translation editor; "
                "submit it for moderation from the page editor."
            ),
            code="not_synced",
        )
    language = translation.target_locale.get_display_name()
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise Conflict(
            _("This translation is already waiting for moderation."), code="in_moderation"
        )
    if page.permissions_for_user(by).page_locked():
        raise Conflict(_("Someone else has locked this page."), code="locked")
    workflow = page.get_workflow()
    # A workflow without an active task would publish at once, as the submitter.
    if workflow is None or not workflow.tasks.filter(active=True).exists():
        raise Refused(
            _("No moderation workflow applies to this page; ask a moderator to publish it."),
            code="no_workflow",
        )
    total, translated = translation.get_progress()
    if translated < total:
        missing = total - translated
        raise Refused(
            ngettext(
                "%(missing)d of %(total)d texts is not translated into %(language)s yet. "
                "Translate every text, then submit again.",
                "%(missing)d of %(total)d texts are not translated into %(language)s yet. "
                "Translate every text, then submit again.",
                missing,
            )
            % {"missing": missing, "total": total, "language": language},
            code="incomplete",
        )
    try:
        draft = translation.source.get_ephemeral_translated_instance(translation.target_locale)
    except MissingTranslationError:  # a text changed since the count above
        raise Refused(
            _("Some texts are not translated into %(language)s yet.") % {"language": language},
            code="incomplete",
        ) from None
    except MissingRelatedObjectError:
        raise Refused(
            _("A page or snippet this page links to is not translated into %(language)s yet.")
            % {"language": language},
            code="related_untranslated",
        ) from None
    # As wagtail-localize does on publishing: a translated slug must not clash with a sibling.
    draft.slug = find_available_slug(
        draft.get_parent(), slugify(draft.slug) or page.slug, ignore_page_id=draft.pk
    )
    try:
        revision = draft.save_revision(user=by, log_action=True)
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages), code="invalid") from None
    # Privacy is not part of a revision: keep it the source's, as wagtail-localize does
    # whenever it saves a translation.
    translation.source.sync_view_restrictions(translation.source.as_instance(), page)
    TranslationLog.objects.create(
        source=translation.source, locale=translation.target_locale, revision=revision
    )
    if state is not None:  # a moderator asked for changes: the same workflow goes on
        state.resume(user=by)
    else:
        workflow.start(draft, by)
    audit.record(
        action="cms.translation.submitted",
        obj=page,
        by=by,
        language=translation.target_locale.language_code,
        revision=revision.pk,
    )
    return revision
