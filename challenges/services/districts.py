"""Districts: their stable codes and how a name typed by a person finds its district.

Pure functions over plain objects (anything with ``name``, ``name_ru``, ``name_en``), so
the data migrations can use them with historical models.
"""

import re
import unicodedata

from django.utils.text import slugify

#: Apostrophe-like marks people type in Uzbek names (Oʻ, Gʻ, tutuq belgisi) or leave out.
_APOSTROPHES = re.compile(r"[\u0027\u0060\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201b\u2032]")
#: The words that only say what kind of place it is, in the three languages.
_KIND_WORDS = frozenset(
    {
        "tumani",
        "tuman",
        "shahri",
        "shahar",
        "district",
        "city",
        "район",
        "город",
    }
)


def district_code(region_code, name_en):
    """The stable code of a district: ``UZ-QR`` and "Nukus city" give ``UZ-QR-nukus-city``."""
    return f"{region_code}-{slugify(name_en)}"


def normalise(text):
    """A name as compared: case, spaces, apostrophes and accents do not count."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _APOSTROPHES.sub("", text).casefold()
    text = re.sub(r"[\s\.,;:()\-–—]+", " ", text)
    return " ".join(text.split())


def _bare(text):
    """The name without the words that say it is a district or a city."""
    return " ".join(word for word in text.split() if word not in _KIND_WORDS)


def _names(district):
    return {
        normalise(getattr(district, field, ""))
        for field in ("name", "name_ru", "name_en")
        if getattr(district, field, "")
    }


def match(text, districts):
    """The one district of ``districts`` (those of the person's region) that ``text``
    names, in any of the three languages; ``None`` when none does or several could.

    A full name matches first ("Nukus shahri", "nukus  shahri"); then a name without
    "tumani"/"district"/"район" ("Chilonzor"), only when a single district answers to it
    ("Nukus" could be the district or the city, so it matches neither).
    """
    wanted = normalise(text)
    if not wanted:
        return None
    districts = list(districts)
    exact = [d for d in districts if wanted in _names(d)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    bare = _bare(wanted)
    if not bare:
        return None
    loose = [d for d in districts if bare in {_bare(name) for name in _names(d)}]
    return loose[0] if len(loose) == 1 else None
