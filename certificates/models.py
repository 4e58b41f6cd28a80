"""Certificate templates (edited by staff), issued certificates, and bulk issuing batches."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, PreviewableMixin

from challenges.models import Challenge

from .enums import (
    CertificateKind,
    CertificateStatus,
    IssueRule,
    Orientation,
    PageSize,
    place_label,
)

# Crockford's base32 without the letters people confuse (I, L, O, U): 16 symbols ≈ 80 bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
CODE_PATTERN = rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$"


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CertificateTemplate(PreviewableMixin, ClusterableModel):
    """The design and words of one kind of certificate in one language."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="uz"
    )
    page_size = models.CharField(
        _("page size"), max_length=10, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("orientation"),
        max_length=10,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("Placeholders such as {recipient_name} or {challenge} may be used."),
    )
    body = models.TextField(
        _("body"),
        max_length=3000,
        help_text=_(
            "Placeholders: {recipient_name}, {challenge}, {track}, {place}, {team}, "
            "{project_title}, {date}, {signatories}."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["kind", "language", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()}, {self.language})"

    # Live preview in the Wagtail admin: the sample certificate as HTML, or as the real PDF.
    @property
    def preview_modes(self):
        return [("", _("Certificate (HTML)")), ("pdf", _("PDF"))]

    def serve_preview(self, request, mode_name):
        from .services.preview import serve_preview  # the services import these models

        return serve_preview(template=self, mode=mode_name, request=request)


class Signatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("title"), max_length=160, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return self.name


class TemplateLogo(Orderable):
    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="logos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(_("alternative text"), max_length=120, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt")]

    class Meta(Orderable.Meta):
        verbose_name = _("logo")
        verbose_name_plural = _("logos")


class IssuingBatch(models.Model):
    """One bulk issuing run started by staff; its certificates report the progress."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="certificate_batches"
    )
    rule = models.CharField(_("recipients"), max_length=20, choices=IssueRule.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued = models.PositiveIntegerField(_("queued"), default=0)
    already_issued = models.PositiveIntegerField(_("already issued"), default=0)

    class Meta:
        verbose_name = _("issuing batch")
        verbose_name_plural = _("issuing batches")
        ordering = ["-created_at"]

    def __str__(self):
        # The challenge's wall-clock time, like every certificate page (services.timing).
        when = self.created_at and timezone.localtime(self.created_at, self.challenge.tz)
        return (
            f"{self.challenge} · {self.get_rule_display()} · {when:%Y-%m-%d %H:%M}"
            if when
            else (f"{self.challenge} · {self.get_rule_display()}")
        )


class Certificate(models.Model):
    """One certificate for one person, kind and challenge; its code never changes."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="certificates")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    template = models.ForeignKey(
        CertificateTemplate, null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    batch = models.ForeignKey(
        IssuingBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # What the certificate says, frozen when it is queued (a reissue refreshes it).
    recipient_name = models.CharField(_("recipient's name"), max_length=300)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    team_name = models.CharField(_("team"), max_length=120, blank=True)
    project_title = models.CharField(_("project title"), max_length=200, blank=True)
    track_name = models.CharField(_("track"), max_length=150, blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
        db_index=True,
    )
    version = models.PositiveSmallIntegerField(default=1)
    pdf_key = models.CharField(max_length=300, blank=True)
    failure_reason = models.TextField(_("failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "challenge"], name="one_certificate_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.recipient_name} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("certificate_verify", kwargs={"code": self.code})

    @property
    def is_valid(self):
        return self.status == CertificateStatus.ISSUED

    @property
    def place_label(self):
        """The place in words ("1st place") in the active language; "" without a place."""
        return place_label(self.place)

    @property
    def download_filename(self):
        return f"certificate-{self.code}.pdf"


class CertificateRevision(models.Model):
    """A former version of a certificate, kept when it is reissued (same code)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveSmallIntegerField()
    recipient_name = models.CharField(max_length=300)
    pdf_key = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certificate", "version"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "version"], name="revision_once")
        ]

    def __str__(self):
        return f"{self.certificate.code} v{self.version}"
