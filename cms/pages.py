"""Structural pages the platform creates itself, in every language.

An index page (the challenge list, the news, the success stories) holds nothing an editor
wrote beyond its title, so it is created published, with its translations, once; pages
with content go through the moderation workflow (see ``cms.services``).
"""

from wagtail.models import Locale


def ensure_translated_page(parents, model, *, slug, texts, **fields):
    """Create ``model`` under ``parents["uz"]`` and its ru/en translations (idempotent).

    ``texts`` holds each language's own fields (title, intro …); ``fields`` are shared by
    every translation (the Challenge, the hero image). Existing pages are left as they are,
    so a second demo load never duplicates or overwrites an editor's work.
    """
    source_parent = parents["uz"]
    source = model.objects.child_of(source_parent).filter(slug=slug).first()
    if source is None:
        source = model(slug=slug, locale=source_parent.locale, **texts["uz"], **fields)
        source_parent.add_child(instance=source)
        source.save_revision().publish()
    pages = {"uz": source}
    for code, text in texts.items():
        if code == "uz":
            continue
        page = model.objects.filter(
            translation_key=source.translation_key, locale__language_code=code
        ).first()
        if page is None:
            locale = Locale.objects.get(language_code=code)
            page = source.copy_for_translation(locale).specific
            for name, value in text.items():
                setattr(page, name, value)
            page.save_revision().publish()
        pages[code] = page
    return pages
