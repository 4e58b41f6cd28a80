"""Certificates' part of a person's data (``core.personal_data``).

Export: each certificate with what it says, its verification address and, when issued, a
short presigned link to its PDF. Erasure: the name on the certificate and its former
versions is cleared and their PDFs (which print the name) are deleted from the bucket; the
code stays valid, and the public verification page says the recipient was anonymised at
their request instead of naming them.
"""

from django.db import transaction
from django.urls import reverse

from core.uploads import discard_upload, presigned_get

from .enums import CertificateStatus
from .models import Certificate, CertificateRevision


def export_certificates(user):
    rows = []
    for c in Certificate.objects.filter(recipient=user).select_related("challenge").order_by("pk"):
        row = {
            "code": c.code,
            "kind": c.kind,
            "challenge": c.challenge.slug,
            "recipient_name": c.recipient_name,
            "team": c.team_name,
            "project_title": c.project_title,
            "place": c.place,
            "status": c.status,
            "issued_at": c.issued_at.isoformat() if c.issued_at else None,
            "verification_url": reverse("certificate_verify", kwargs={"code": c.code}),
        }
        if c.status == CertificateStatus.ISSUED and c.pdf_key:
            row["download_url"] = presigned_get(key=c.pdf_key, filename=c.download_filename)
        rows.append(row)
    return rows


def erase(user, *, by):
    certificates = Certificate.objects.filter(recipient=user)
    revisions = CertificateRevision.objects.filter(certificate__recipient=user)
    keys = [k for k in certificates.values_list("pdf_key", flat=True) if k]
    keys += [k for k in revisions.values_list("pdf_key", flat=True) if k]
    certificates.update(recipient_name="", pdf_key="")
    revisions.update(recipient_name="", pdf_key="")

    def discard():
        for key in keys:
            discard_upload(key=key)

    transaction.on_commit(discard)
