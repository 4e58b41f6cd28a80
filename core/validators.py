"""Dates a person could really mean: one window per kind of date, used by every form.

A date field takes anything from 0001-01-01 to 9999-12-31; a birth date of 1800 or a grant
given in year 1 is a typo, and it would skew ages, reports and reminders. The checks live
on the model fields (``validators=[...]``), so the participant forms, the staff forms and
the Wagtail admin all apply the same window.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

#: Nobody alive to take part (or to be a guardian, mentor, juror) is older than this.
OLDEST_AGE = 100
#: The platform's programmes: none began before this, none is planned further ahead.
PROGRAMME_START = dt.date(2000, 1, 1)
PROGRAMME_YEARS_AHEAD = 10


def _years_from(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def birth_date_window(today=None):
    """``(earliest, latest)`` birth dates that make sense today (both included)."""
    today = today or timezone.localdate()
    return _years_from(today, -OLDEST_AGE), today - dt.timedelta(days=1)


def programme_date_window(today=None):
    """``(earliest, latest)`` dates of a programme's events: supports, milestones, cohorts."""
    today = today or timezone.localdate()
    return PROGRAMME_START, _years_from(today, PROGRAMME_YEARS_AHEAD)


def plausible_birth_date(value):
    earliest, latest = birth_date_window()
    if value > latest:
        raise ValidationError(_("The date of birth must be in the past."), code="future")
    if value < earliest:
        raise ValidationError(
            _("Check the year: this date of birth is more than %(years)s years ago."),
            code="too_old",
            params={"years": OLDEST_AGE},
        )


def plausible_programme_date(value):
    earliest, latest = programme_date_window()
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="implausible",
            params={
                "earliest": formats.date_format(earliest, "SHORT_DATE_FORMAT"),
                "latest": formats.date_format(latest, "SHORT_DATE_FORMAT"),
            },
        )
