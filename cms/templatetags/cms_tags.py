"""Site-wide template helpers: the header, the language switcher, the footer's settings.

The shared parts come from :mod:`cms.navigation` (cached per site and language); only the
current page's translations and the signed-in person's links are read per request.
"""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from wagtail.models import Page

from cms import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    """Home link, menu items and site settings of this site in the active language."""
    return navigation.header(context.get("request"))


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
    home_urls = {}
    if isinstance(page, Page):
        for other in navigation.live_translations(request, page):
            translations[other.locale.language_code] = other.get_url(request)
        home_urls = navigation.header(request).home_urls
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or home_urls.get(code)
        if url is None and request is not None:
            url = _in_language(request, code)
        links.append({"code": code, "name": name, "url": url or "/", "active": code == current})
    return {"links": links, "current": current}


def _in_language(request, code):
    """``translate_url`` of this request's URL, reusing the URL match the request already
    has instead of resolving the path again for every language."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return translate_url(request.get_full_path(), code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(code):
        try:
            path = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return translate_url(request.get_full_path(), code)
    query = urlsplit(request.get_full_path()).query
    return f"{path}?{query}" if query else path


@register.simple_tag(takes_context=True)
def page_alternates(context, page):
    """This page in every language it is live in, for hreflang links (shares the language
    switcher's query)."""
    if not isinstance(page, Page) or not hasattr(page, "alternates"):
        return []
    return navigation.live_translations(context.get("request"), page)


@register.simple_tag(takes_context=True)
def personal_links(context):
    """Which personal sections (jury, incubation) the signed-in person has."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return navigation.personal_links(user) if user is not None else navigation.PersonalLinks()
