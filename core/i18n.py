"""Short operational labels (track names, prize titles, criteria) in three languages.

Long texts live on Wagtail pages per language; short labels that belong to operational
records are stored once with a column per language: ``name`` (Uzbek, the default
language) plus ``name_ru`` and ``name_en``. ``localized(obj, "name")`` picks the active
language and falls back to Uzbek.
"""

from django.conf import settings
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
    (a notification's round, challenge or certificate kind): ``in_language`` picks one.
    """
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(text())
    return values


def in_language(value, language):
    """A value stored by ``every_language`` in ``language`` (else Uzbek, else any); any
    other value as it is."""
    if (
        not isinstance(value, dict)
        or not value
        or not set(value) <= {code for code, _name in settings.LANGUAGES}
    ):
        return value
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()))
