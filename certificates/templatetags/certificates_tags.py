from urllib.parse import urlencode

from django import template

from .. import badges
from ..selectors import for_recipient
from ..services.rendering import verify_url
from ..services.timing import local_time

register = template.Library()


@register.filter
def challenge_time(value, challenge):
    """``{{ batch.created_at|challenge_time:batch.challenge }}``: the challenge's local time."""
    return local_time(value, challenge)


@register.simple_tag
def linkedin_add_url(certificate):
    """LinkedIn's "add licence or certification" form, filled in; the certificate URL is the
    Open Badges assertion, so the profile entry links back to something verifiable."""

    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": f"{certificate.get_kind_display()} — {certificate.challenge.display_title}",
        "organizationName": certificate.challenge.organiser or "Tanlov",
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": verify_url(certificate.code),
        "certId": certificate.code,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)


@register.simple_tag
def badge_assertion_url(certificate):
    return badges.assertion_url(certificate.code)


@register.inclusion_tag("certificates/includes/certificate_list.html", takes_context=True)
def my_certificates(context):
    """The current user's issued certificates, in one query."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    certificates = list(for_recipient(user)) if user is not None else []
    return {"certificates": certificates, "request": request}
