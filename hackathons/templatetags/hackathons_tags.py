from django import template
from django.utils.safestring import mark_safe

from ..enums import ACTIVE, HOLDS_PLACE
from ..models import Registration
from ..services import checkin

register = template.Library()


@register.inclusion_tag("hackathons/includes/registration_list.html", takes_context=True)
def my_hackathons(context):
    """The current user's active hackathon registrations, with the ticket of those that
    hold a place (the participant's dashboard)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    rows = []
    if user is not None and user.is_authenticated:
        for registration in Registration.objects.filter(user=user, state__in=ACTIVE).select_related(
            "event__challenge", "check_in"
        ):
            ticket = registration.state in HOLDS_PLACE
            rows.append(
                {
                    "registration": registration,
                    # segno's own SVG (no user input in it)
                    "qr": mark_safe(checkin.qr_svg(registration)) if ticket else "",  # noqa: S308
                    "code": checkin.token_for(registration) if ticket else "",
                }
            )
    return {"rows": rows, "request": request}
