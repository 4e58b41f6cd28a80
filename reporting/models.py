"""A partners' report of one challenge: made by a Celery task, kept in the private bucket."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge

from .enums import ReportStatus


class ReportJob(models.Model):
    """One run of the partners' report (a PDF and an XLSX workbook) in one language.

    The task moves it from queued to running to done (or failed, with the reason) and
    writes its progress in percent as it goes; the progress page reads it back.
    """

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="report_jobs")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    failure_reason = models.TextField(_("reason"), blank=True)
    pdf_key = models.CharField(max_length=300, blank=True)
    xlsx_key = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partners' report")
        verbose_name_plural = _("partners' reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.challenge} · {self.get_language_display()} · {self.get_status_display()}"

    @property
    def finished(self):
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    def filename(self, fmt):
        stamp = self.created_at.strftime("%Y-%m-%d") if self.created_at else "report"
        return f"{self.challenge.slug}-report-{self.language}-{stamp}.{fmt}"
