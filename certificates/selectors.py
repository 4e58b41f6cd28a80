"""Reused reads about certificates."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q

from challenges.selectors import managed_by

from .enums import CertificateStatus
from .models import CODE_PATTERN, Certificate, IssuingBatch

_code = re.compile(CODE_PATTERN)


def is_well_formed(code):
    return bool(code) and bool(_code.match(code))


def public_certificate(code):
    """The certificate a verification page may show (issued or revoked), or None."""
    if not is_well_formed(code):
        return None
    return (
        Certificate.objects.select_related("challenge", "recipient")
        .filter(code=code, status__in=[CertificateStatus.ISSUED, CertificateStatus.REVOKED])
        .first()
    )


def for_recipient(user):
    """The user's own certificates that are ready (issued), newest first."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(recipient=user, status=CertificateStatus.ISSUED)
        .select_related("challenge")
        .order_by("-issued_at", "-pk")
    )


def visible_to_staff(user):
    return Certificate.objects.filter(challenge__in=managed_by(user))


def batches_for(user):
    """The batches of the user's challenges, each with its certificates' counts by status
    (``n_issued``, ``n_failed``, ``n_pending``, ``n_revoked``) from the same query."""
    return (
        IssuingBatch.objects.filter(challenge__in=managed_by(user))
        .select_related("challenge", "created_by")
        .annotate(
            n_issued=Count("certificates", filter=Q(certificates__status=CertificateStatus.ISSUED)),
            n_failed=Count("certificates", filter=Q(certificates__status=CertificateStatus.FAILED)),
            n_pending=Count(
                "certificates", filter=Q(certificates__status=CertificateStatus.PENDING)
            ),
            n_revoked=Count(
                "certificates", filter=Q(certificates__status=CertificateStatus.REVOKED)
            ),
        )
    )


def progress(batch):
    """Counts for a batch's progress bar, from one aggregate query."""

    counts = batch.certificates.aggregate(
        total=Count("pk"),
        issued=Count("pk", filter=Q(status=CertificateStatus.ISSUED)),
        revoked=Count("pk", filter=Q(status=CertificateStatus.REVOKED)),
        failed=Count("pk", filter=Q(status=CertificateStatus.FAILED)),
        pending=Count("pk", filter=Q(status=CertificateStatus.PENDING)),
    )
    done = counts["issued"] + counts["revoked"]
    total = counts["total"]
    return {
        "total": total,
        "done": done,
        "failed": counts["failed"],
        "remaining": counts["pending"],
        "percent": 100 if total == 0 else round(100 * (done + counts["failed"]) / total),
        "finished": counts["pending"] == 0,
        "already_issued": batch.already_issued,
    }


def template_editors(limit=3):
    """A few active people who can create certificate templates (whom to ask), by name."""
    perm = Q(codename="add_certificatetemplate", content_type__app_label="certificates")
    permission = Permission.objects.filter(perm).first()
    who = Q(is_superuser=True)
    if permission is not None:
        who |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return list(
        get_user_model()
        .objects.filter(who, is_active=True, is_staff=True)
        .distinct()
        .order_by("first_name", "last_name", "username")[:limit]
    )
