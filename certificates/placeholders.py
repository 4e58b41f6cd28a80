"""Placeholders staff may use in a certificate template's title and body.

Text is written with ``{name}`` placeholders (``{{`` and ``}}`` for literal braces). The
set is closed: an unknown name is an error shown to the editor, never silently dropped.
"""

import string

from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Refused

PLACEHOLDERS = {
    "recipient_name": gettext_lazy("the recipient's full name"),
    "challenge": gettext_lazy("the challenge's title"),
    "track": gettext_lazy("the entry's track"),
    "place": gettext_lazy("the place (winners)"),
    "team": gettext_lazy("the team's name"),
    "project_title": gettext_lazy("the entry's title"),
    "date": gettext_lazy("the date of issue"),
    "signatories": gettext_lazy("the signatories' names"),
}


class PlaceholderError(Refused, ValueError):
    """The text cannot be filled in; the message is a translated sentence for the editor."""

    default_code = "placeholder"


def fields_in(text):
    """The placeholder names used in ``text``; raises PlaceholderError on bad syntax."""
    names = []
    try:
        parsed = list(string.Formatter().parse(text or ""))
    except ValueError as exc:
        raise PlaceholderError(
            _("Unbalanced braces in “%(text)s”: write {{ and }} for literal braces.")
            % {"text": text[:80]}
        ) from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise PlaceholderError(
                _("“{%(name)s}” is not a placeholder; use a plain name such as {recipient_name}.")
                % {"name": name}
            )
        names.append(name)
    return names


def check(text):
    """Raise PlaceholderError naming every unknown placeholder in ``text``."""
    unknown = sorted({name for name in fields_in(text) if name not in PLACEHOLDERS})
    if unknown:
        raise PlaceholderError(
            _("Unknown placeholder %(unknown)s. Allowed: %(allowed)s.")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            }
        )


def fill(text, values, *, paragraphs=False):
    """``text`` with placeholders replaced by HTML-escaped ``values``; returns safe HTML."""
    check(text)
    escaped_text = escape(text or "")
    safe = {name: escape(values.get(name) or "") for name in PLACEHOLDERS}
    filled = escaped_text.format(**safe)
    return linebreaks(filled, autoescape=False) if paragraphs else filled
