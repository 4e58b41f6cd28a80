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
