from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from notifications.messages import render
from notifications.selectors import inbox, unread_count

register = template.Library()


@register.filter
def iso_datetime(value):
    """An ISO 8601 string from a notification's context → an aware datetime (local time)."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return value
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return timezone.localtime(parsed)


@register.filter
def iso_date(value):
    if not value:
        return ""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    """How many unread in-app notifications the signed-in user has (one COUNT query)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0

    return unread_count(user)


@register.inclusion_tag("notifications/includes/panel.html", takes_context=True)
def notifications_panel(context, limit=5):
    """The latest notifications and the unread count, for the participant dashboard."""

    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"items": [], "unread": 0}
    language = get_language()
    latest = list(inbox(user)[:limit])
    return {
        "items": [(n, render(n, language=language)) for n in latest],
        "unread": unread_count(user),
    }
