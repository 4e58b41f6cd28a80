"""Whether entries of a challenge may still change: the server's clock, the challenge's zone."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from challenges.services.phases import submission_deadline, submissions_open
from core.i18n import zone_label

from .errors import ActionRefused


def entries_open(challenge, *, when=None):
    phases = list(challenge.phases.all())
    return submissions_open(phases, when or timezone.now(), grace_minutes=challenge.grace_minutes)


def deadline_of(challenge):
    return submission_deadline(list(challenge.phases.all()))


def deadline_text(challenge):
    deadline = deadline_of(challenge)
    if deadline is None:
        return ""
    local = timezone.localtime(deadline, challenge.tz)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({zone_label(challenge.time_zone)})"


def ensure_open(challenge, *, when=None):
    """Raise ``ActionRefused`` unless entries of ``challenge`` may change at ``when``."""
    if entries_open(challenge, when=when):
        return
    deadline = deadline_of(challenge)
    if deadline is not None and (when or timezone.now()) >= deadline:
        raise ActionRefused(
            _("The deadline (%(deadline)s) has passed: entries can no longer be changed.")
            % {"deadline": deadline_text(challenge)}
        )
    raise ActionRefused(_("This challenge is not accepting entries at the moment."))
