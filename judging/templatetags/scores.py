"""``{% load scores %}{{ value|score }}``: one way to print a score on staff and juror pages.

A score is shown as the number it is: ``8`` (not ``8.00``) for a whole number, ``7.5`` for
a half step, ``72.33`` for a weighted mean — at most ``places`` decimals, trailing zeros
dropped, in the reader's locale (``7,5`` in Russian). Rounding matches the exports'
(``judging.services.exports``: exact binary value, half to even), so the page and the CSV
never disagree in the last digit; the exports themselves keep their fixed two decimals.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


def format_score(value, places=2):
    """``value`` (a number, a Decimal or its text) with at most ``places`` decimals and no
    trailing zeros; ``""`` for ``None``/``""`` so ``|default:"—"`` can take over."""
    if value is None or value == "":
        return ""
    try:
        exact = Decimal(value) if isinstance(value, (int, float, Decimal)) else Decimal(str(value))
        rounded = exact.quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    text = f"{rounded:f}"
    decimals = len(text.partition(".")[2].rstrip("0"))
    return formats.number_format(rounded, decimal_pos=decimals)


@register.filter(name="score")
def score(value, places=2):
    return format_score(value, places)
