"""Times on certificate pages, in the challenge's time zone: the one helper every page uses.

Staff read a batch's time next to the challenge's deadlines, which are set and enforced in
the challenge's zone (Asia/Tashkent by default), so the list of batches, a batch's page and
the messages of the issuing service all show that zone's wall-clock time.
"""

from django.utils import timezone
from django.utils.formats import date_format


def local_time(value, challenge, format_name="DATETIME_FORMAT"):
    """``value`` (an aware datetime) as the challenge's local time, formatted for the
    reader's language; ``""`` for ``None``."""
    if value is None:
        return ""
    return date_format(timezone.localtime(value, challenge.tz), format_name)
