from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import check_all


@never_cache
@require_GET
def healthz(request):
    ok, report = check_all()
    return JsonResponse({"status": "ok" if ok else "fail", **report}, status=200 if ok else 503)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
