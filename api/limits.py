"""The API's rate limits: the site's one limiter (``certificates.ratelimit.limited``),
answering 429 in JSON. Both APIs (``/api/v1/`` and Wagtail's ``/api/v2/``, cms/api.py)
share one budget per client address and minute (``TANLOV_API_RATE_PER_MINUTE``);
certificate look-ups share the verification page's (``TANLOV_VERIFY_RATE_PER_MINUTE``),
so a code cannot be guessed faster through the API."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from certificates.ratelimit import limited, verify_rate


def api_rate():
    return f"{settings.TANLOV_API_RATE_PER_MINUTE}/1m/ip"


def too_many(request):
    response = JsonResponse({"detail": _("Too many requests. Please wait a minute.")})
    response["Cache-Control"] = "no-store"
    return response


#: Decorators for Django views (``ninja.decorators.decorate_view`` applies them to the
#: JSON endpoints; cms/api.py to Wagtail's viewsets).
api_limited = limited("api", app="api", rate=api_rate, answer=too_many)
verify_limited = limited("verify", rate=verify_rate, answer=too_many)
