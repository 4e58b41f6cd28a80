"""Site-wide template helpers: the language switcher and the main navigation."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language.

    On a Wagtail page, the link goes to that page's translation (or the home page of the
    language when the page is not translated yet); elsewhere the URL's language prefix
    is swapped.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other.get_url(request)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code)
        if url is None and isinstance(page, Page):
            url = _home_url(code, request)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url or "/", "active": code == current})
    return {"links": links, "current": current}


def _home_url(code, request):
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return None
    home = Page.objects.filter(depth=2, locale=locale).live().first()
    return home.get_url(request) if home else None


@register.simple_tag(takes_context=True)
def site_root(context):
    """The home page in the active language (falls back to any home page)."""
    code = translation.get_language()
    home = (
        Page.objects.filter(depth=2, locale__language_code=code).live().first()
        or Page.objects.filter(depth=2).live().first()
    )
    return home.specific if home else None
