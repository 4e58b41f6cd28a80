"""Cross-cutting records: the audit trail every service writes to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import FileStatus


class AuditEntry(models.Model):
    """Who did what to which object, and when.

    Services write one row per state change that matters (submit, score, issue …) with a
    dotted action name such as ``"judging.review.finalized"``.
    """

    action = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class StoredFile(models.Model):
    """A file a person uploaded, kept in the private bucket under a random key.

    The one record every kind of upload uses (an entry's files, incubation evidence); its
    life — pending → verified (sealed under a new key) or rejected, purged when abandoned —
    is written once, in ``core.files``. Subclasses add what the file belongs to.
    """

    key = models.CharField(max_length=300, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=FileStatus.choices, default=FileStatus.PENDING)
    rejection_reason = models.CharField(max_length=300, blank=True)
    multipart_upload_id = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
