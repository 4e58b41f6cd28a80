"""Template filters for the language-dependent labels of core/i18n.py."""

from django import template

from core.i18n import zone_label as _zone_label

register = template.Library()


@register.filter
def zone_label(name):
    """``{{ challenge.time_zone|zone_label }}`` → "Tashkent time" in the active language."""
    return _zone_label(name)
