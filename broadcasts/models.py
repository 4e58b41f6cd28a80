"""A message staff write once, in uz/ru/en, to a segment of a challenge's people.

Sending goes through the notifications outbox (``notifications.services.notify``): one
``Notification`` per recipient, about this broadcast (``obj=``), so its counts are read
back from the outbox (``notifications.selectors.counts_for``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge, Track
from incubation.models import Cohort

from .enums import BroadcastStatus, Segment

LANGUAGES = ("uz", "ru", "en")


class Broadcast(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="+"
    )
    segment = models.CharField(_("to"), max_length=16, choices=Segment.choices)
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Uzbek, the default language, without a suffix (core.i18n's convention).
    subject = models.CharField(_("subject (uz)"), max_length=150, blank=True)
    subject_ru = models.CharField(_("subject (ru)"), max_length=150, blank=True)
    subject_en = models.CharField(_("subject (en)"), max_length=150, blank=True)
    body = models.TextField(_("message (uz)"), max_length=4000, blank=True)
    body_ru = models.TextField(_("message (ru)"), max_length=4000, blank=True)
    body_en = models.TextField(_("message (en)"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BroadcastStatus.choices,
        default=BroadcastStatus.DRAFT,
        db_index=True,
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "send_at"], name="broadcast_due")]

    def __str__(self):
        return self.subject or self.subject_ru or self.subject_en or f"#{self.pk}"

    def text(self, language):
        """``(subject, body)`` written in ``language`` (empty strings when not written)."""
        suffix = "" if language == settings.LANGUAGE_CODE else f"_{language}"
        return getattr(self, f"subject{suffix}", ""), getattr(self, f"body{suffix}", "")

    @property
    def languages(self):
        """The languages the message is written in (subject and body both given)."""
        return [code for code in LANGUAGES if all(part.strip() for part in self.text(code))]

    @property
    def editable(self):
        return self.status != BroadcastStatus.SENT
