"""Public verification, recipients' downloads and Open Badges documents (thin views)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from challenges.models import Challenge
from core import personal_data
from core.access import obtain
from core.uploads import presigned_get

from . import badges
from .enums import CertificateKind, CertificateStatus
from .models import Certificate
from .ratelimit import limited
from .selectors import is_well_formed, public_certificate


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@limited("verify")
def verify(request, code):
    """What an employer sees after scanning the QR code: only what the certificate says."""
    code = (code or "").strip().upper()
    certificate = public_certificate(code) if is_well_formed(code) else None
    if certificate is None:
        response = render(request, "certificates/verify_not_found.html", {"code": code}, status=404)
        return _noindex(response)
    context = {
        "certificate": certificate,
        "revoked": certificate.status == "revoked",
        "anonymised": personal_data.is_anonymised(certificate.recipient),
    }
    return _noindex(render(request, "certificates/verify.html", context))


@require_GET
@limited("verify")
def lookup(request):
    """``/verify/``: a box to type the code printed on a certificate; ``?code=`` opens it."""
    code = "".join(request.GET.get("code", "").split()).upper()[:64]
    if code:
        return redirect("certificate_verify", code=code)
    return _noindex(render(request, "certificates/verify_lookup.html", {"code": ""}))


@require_GET
@login_required
def download(request, code):
    """The recipient (or staff managing the challenge) gets a short presigned link."""
    certificate = obtain(
        request.user,
        Certificate.objects.select_related("challenge").filter(status=CertificateStatus.ISSUED),
        see="certificates.download_certificate",
        code=code,
    )
    if not certificate.pdf_key:
        raise Http404
    return redirect(presigned_get(key=certificate.pdf_key, filename=certificate.download_filename))


def _json_ld(document, status=200):
    response = JsonResponse(
        document, status=status, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"  # backpacks fetch these documents
    return _noindex(response)


@require_GET
def badge_issuer(request):
    return _json_ld(badges.issuer())


def _badge_target(challenge_id, kind):
    if kind not in CertificateKind.values:
        raise Http404
    return get_object_or_404(Challenge, pk=challenge_id)


@require_GET
def badge_class(request, challenge_id, kind):
    return _json_ld(badges.badge_class(_badge_target(challenge_id, kind), kind))


@require_GET
def badge_image(request, challenge_id, kind):
    challenge = _badge_target(challenge_id, kind)
    context = {"challenge": challenge, "kind": CertificateKind(kind)}
    return render(request, "certificates/badge.svg", context, content_type="image/svg+xml")


@require_GET
@limited("verify")
def badge_assertion(request, code):
    certificate = public_certificate(code)
    if certificate is None:
        raise Http404
    document = badges.assertion(certificate)
    # Open Badges 2.0: a revoked hosted assertion answers 410 Gone with revoked: true.
    return _json_ld(document, status=410 if document.get("revoked") else 200)
