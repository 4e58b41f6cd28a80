from django import template

from incubation import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def my_incubated_projects(context):
    """The projects the signed-in person works on or mentors (for the dashboard)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(
        selectors.participant_projects(user)
        .select_related("stage", "cohort")
        .order_by("title", "id")
    )
