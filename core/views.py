import mimetypes

from botocore.exceptions import ClientError
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import mailbox, s3
from .access import allowed
from .errors import NotAllowed, Refused
from .health import check_all
from .redirects import safe_next
from .storage import is_public


@never_cache
@require_GET
def healthz(request):
    ok, report = check_all()
    return JsonResponse({"status": "ok" if ok else "fail", **report}, status=200 if ok else 503)


def _to_public_login(request, *, fallback, may_enter):
    """An admin's login page, reduced to a way to the site's one login (allauth).

    The admins' own forms took unlimited wrong passwords and signed in accounts whose
    e-mail was never verified. Whatever is sent here (a POSTed password too) is dropped:
    the visitor goes to allauth's login, which rate-limits and checks verification, and
    comes back to the admin page they were heading to (``fallback``: the admin's index).
    Someone already signed in is sent on when ``may_enter``, and refused otherwise —
    sending them to the login would bounce them straight back here.
    """
    target = safe_next(request, fallback)
    if not request.user.is_authenticated:
        return redirect_to_login(target, login_url="account_login")
    if may_enter(request):
        return redirect(target)
    raise NotAllowed(_("You are signed in, but this account may not open the administration."))


@never_cache
def wagtail_admin_login(request):
    return _to_public_login(
        request,
        fallback="wagtailadmin_home",
        may_enter=lambda r: allowed(r.user, "core.open_wagtail_admin"),
    )


@never_cache
def django_admin_login(request):
    return _to_public_login(
        request,
        fallback="admin:index",
        may_enter=lambda r: allowed(r.user, "core.open_django_admin"),
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_GET
def public_media(request, name):
    """Stream a public CMS image (see core.storage) from the bucket, cacheably."""

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


# --- the development mailbox (core.mailbox; mounted only when TANLOV_DEV_MAIL is on) ---
@never_cache
def dev_mail_list(request):
    """Every e-mail the site sent while developing, newest first."""
    return render(request, "dev/mail_list.html", {"mails": mailbox.recent_mail()})


@never_cache
def dev_mail_message(request, key):
    mail = mailbox.stored_mail(key)
    if mail is None:
        raise Http404(_("There is no such e-mail in the development mailbox."))
    return render(request, "dev/mail_message.html", {"mail": mail})
