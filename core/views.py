from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import check_all


@never_cache
@require_GET
def healthz(request):
    ok, report = check_all()
    return JsonResponse({"status": "ok" if ok else "fail", **report}, status=200 if ok else 503)
