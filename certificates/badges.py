"""Open Badges 2.0 documents (hosted verification) for issued certificates.

Each certificate is an Assertion at a stable URL; its BadgeClass is one per challenge and
kind; the Issuer is the programme office running this site. Recipients are identified by a
salted SHA-256 of their e-mail address, never by the address itself.
"""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .enums import CertificateKind, CertificateStatus
from .services.rendering import verify_url

CONTEXT = "https://w3id.org/openbadges/v2"


def _absolute(name, **kwargs):
    # Stable identifiers: always under the default language's prefix.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, kwargs=kwargs)
    return settings.TANLOV_PUBLIC_BASE_URL.rstrip("/") + path


def issuer_url():
    return _absolute("certificates:badge_issuer")


def badge_class_url(challenge_id, kind):
    return _absolute("certificates:badge_class", challenge_id=challenge_id, kind=kind)


def badge_image_url(challenge_id, kind):
    return _absolute("certificates:badge_image", challenge_id=challenge_id, kind=kind)


def assertion_url(code):
    return _absolute("certificates:badge_assertion", code=code)


def issuer():
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": settings.WAGTAIL_SITE_NAME,
        "url": settings.TANLOV_PUBLIC_BASE_URL.rstrip("/") + "/",
        "email": settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip(),
    }


def badge_class(challenge, kind):
    kind = CertificateKind(kind)
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(challenge.pk, kind.value),
        "name": f"{kind.label} — {challenge.display_title}",
        "description": _("%(kind)s certificate of %(challenge)s, organised by %(organiser)s.")
        % {
            "kind": kind.label,
            "challenge": challenge.display_title,
            "organiser": challenge.organiser or settings.WAGTAIL_SITE_NAME,
        },
        "image": badge_image_url(challenge.pk, kind.value),
        "criteria": {"narrative": criteria(kind)},
        "issuer": issuer_url(),
    }


def criteria(kind):
    return {
        CertificateKind.PARTICIPATION: _("Submitted an entry to the challenge."),
        CertificateKind.FINALIST: _("Reached the final of the challenge."),
        CertificateKind.WINNER: _("Won a prize in the challenge."),
        CertificateKind.JUROR: _("Reviewed every assigned entry as a juror."),
        CertificateKind.MENTOR: _("Mentored a team that submitted an entry."),
        CertificateKind.INCUBATION: _("Completed the incubation programme."),
    }[kind]


def _salt(code):
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()[:16]


def recipient_identity(email, salt):
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def assertion(certificate):
    """The hosted Assertion; a revoked one carries ``revoked`` and the reason."""

    salt = _salt(certificate.code)
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate.code),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": recipient_identity(certificate.recipient.email, salt),
        },
        "badge": badge_class_url(certificate.challenge_id, certificate.kind),
        "verification": {"type": "HostedBadge"},
        "issuedOn": certificate.issued_at.isoformat(),
        "evidence": verify_url(certificate.code),
    }
    if certificate.status == CertificateStatus.REVOKED:
        document["revoked"] = True
        document["revocationReason"] = certificate.revoked_reason
    return document
