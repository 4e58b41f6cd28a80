import mimetypes

from botocore.exceptions import ClientError
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import Refused
from .health import check_all


@never_cache
@require_GET
def healthz(request):
    ok, report = check_all()
    return JsonResponse({"status": "ok" if ok else "fail", **report}, status=200 if ok else 503)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_GET
def public_media(request, name):
    """Stream a public CMS image (see core.storage) from the bucket, cacheably."""
    from . import s3
    from .storage import is_public

    if not is_public(name):
        raise Http404
    try:
        obj = s3.client().get_object(Bucket=s3.bucket_name(), Key=name)
    except ClientError as exc:
        raise Http404 from exc
    content_type = obj.get("ContentType") or mimetypes.guess_type(name)[0]
    response = FileResponse(obj["Body"], content_type=content_type or "application/octet-stream")
    response["Content-Length"] = obj["ContentLength"]
    response["Cache-Control"] = "public, max-age=604800"
    if obj.get("ETag"):
        response["ETag"] = obj["ETag"]
    if obj.get("LastModified"):
        response["Last-Modified"] = http_date(obj["LastModified"].timestamp())
    return response


def permission_denied(request, exception):
    """The 403 page (``handler403``): a refusal from our access layer (core.errors.NotAllowed)
    carries a translated sentence meant for the person, so the page says it; any other
    ``PermissionDenied`` (Django, Wagtail, third parties) gets the general text only."""
    reason = exception.message if isinstance(exception, Refused) else None
    return render(request, "403.html", {"reason": reason}, status=403)
