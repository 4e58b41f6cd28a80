"""Short operational labels (track names, prize titles, criteria) in three languages.

Long texts live on Wagtail pages per language; short labels that belong to operational
records are stored once with a column per language: ``name`` (Uzbek, the default
language) plus ``name_ru`` and ``name_en``. ``localized(obj, "name")`` picks the active
language and falls back to Uzbek.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def localized(obj, field):
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if code != settings.LANGUAGE_CODE:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return getattr(obj, field)


def zone_label(name):
    """A time zone as people say it ("Tashkent time", "Toshkent vaqti"), not its IANA name.

    Zones without a translated name read "<city> time", from the last part of the name.
    """
    from django.utils.translation import gettext as _

    known = {
        "Asia/Tashkent": _("Tashkent time"),
        "Asia/Samarkand": _("Samarkand time"),
        "UTC": _("UTC"),
    }
    if name in known:
        return known[name]
    city = str(name).rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def every_language(text):
    """``{"uz": …, "ru": …, "en": …}``: ``text()`` evaluated in each site language.

    For names stored in messages written now and read later in the reader's language
    (a notification's round, challenge or certificate kind): ``for_reader`` picks one.
    """
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(text())
    return values


def for_reader(value, language):
    """A value stored by ``every_language`` in ``language`` (else Uzbek, else any); any
    other value as it is."""
    if (
        not isinstance(value, dict)
        or not value
        or not set(value) <= {code for code, _name in settings.LANGUAGES}
    ):
        return value
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()))


# --- which language a person is using (issue 15: sign-in keeps the page's language) ------
#: Set by core.middleware when the site picked the language of an unprefixed first visit
#: (from Accept-Language or the default), cleared when the person opens another language.
GUESS_COOKIE = "tanlov_language_guessed"


def language_of_path(path):
    """The language prefix of ``path`` (``"/ru/me/"`` → ``"ru"``), or ``None``."""
    return translation.get_language_from_path(path or "")


def page_language(request):
    """The language of the page being used: its prefix, else the active language."""
    return (
        language_of_path(getattr(request, "path_info", ""))
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )


def language_for(request, user=None):
    """The language to continue in: the page's, unless the site only guessed it on a first
    visit and ``user`` saved a preferred language in their profile."""
    language = page_language(request)
    if request is not None and request.COOKIES.get(GUESS_COOKIE) == language:
        profile = getattr(user, "profile", None) if user is not None else None
        saved = getattr(profile, "preferred_language", "") if profile is not None else ""
        if saved in dict(settings.LANGUAGES):
            return saved
    return language


def in_language(url, language):
    """``url`` under ``language``'s prefix: an unprefixed local path gets it, a prefixed
    one (or a full URL) is translated to it (``translate_url``)."""
    if url.startswith("/") and not url.startswith("//") and language_of_path(url) is None:
        return f"/{language}{url}"
    return translate_url(url, language)
