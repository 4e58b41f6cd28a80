import mimetypes

from allauth.account.internal.flows import email_verification
from allauth.account.stages import EmailVerificationStage, LoginStageController
from botocore.exceptions import ClientError
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

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


# --- "send the link again" on allauth's "check your e-mail" page -------------------------
@require_POST
def resend_verification(request):
    """Send the confirmation e-mail of the sign-up (or sign-in) waiting in this session again.

    allauth keeps the pending login in the session (its e-mail verification stage); this is
    the resend it does itself when an unconfirmed person signs in, through the same
    function and so under the same rate limit (``ACCOUNT_RATE_LIMITS["confirm_email"]``,
    one per address every 3 minutes by default). When the limit holds, nothing is sent and
    the page says that the link already sent still works. A sign-up with an address that
    already has an account (enumeration prevention: no user in the stage) gets allauth's
    "an account already exists" e-mail again, under the same limit and with the same answer,
    so this page cannot tell anyone whether an address is registered.

    Side effects: at most one e-mail; allauth's "confirmation sent" message.
    """
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    login = stage.login if stage else None
    if login is None or not (login.user or login.email):
        # The 15 minutes allauth keeps a pending login are over, or another browser.
        messages.info(
            request,
            _(
                "Sign in with your e-mail address and password: if the address is not "
                "confirmed yet, we send you a new confirmation link."
            ),
        )
        return redirect("account_login")
    if login.user is None:
        sent = email_verification.send_verification_email_at_fake_login(request, login)
    else:
        address = email_verification.get_address_for_login(login)
        if address is None or address.verified:
            messages.info(request, _("Your e-mail address is confirmed. Please sign in."))
            return redirect("account_login")
        sent = email_verification.send_verification_email_to_address(request, address)
    if not sent:
        messages.warning(
            request,
            _(
                "We sent you a link only a few minutes ago, and the link already sent still "
                "works. Please wait a few minutes before asking for another one."
            ),
        )
    return redirect("account_email_verification_sent")
