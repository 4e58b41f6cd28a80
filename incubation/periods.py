"""Reporting periods and "today" in a cohort's time zone: pure functions, no database."""

import datetime as dt
import zoneinfo

from django.utils import timezone


def local_today(time_zone, now=None):
    """The calendar day it is in ``time_zone`` at ``now`` (aware; default: now)."""
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(time_zone)).date()


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Periods start on the 1st in practice; clamp anyway so the 31st never fails.
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover -- unreachable: 28 always exists


def period_starts(*, starts_on, ends_on, every_months):
    """Every reporting period's first day between ``starts_on`` and ``ends_on``."""
    starts, k = [], 0
    while True:
        start = add_months(starts_on, k * every_months)
        if start > ends_on:
            return starts
        starts.append(start)
        k += 1


def period_end(start, every_months):
    """The last day of the period that begins on ``start``."""
    return add_months(start, every_months) - dt.timedelta(days=1)


def last_due_period(*, starts_on, ends_on, every_months, today):
    """The latest period that has ended by ``today`` (its report is due), or None."""
    due = None
    for start in period_starts(starts_on=starts_on, ends_on=ends_on, every_months=every_months):
        if period_end(start, every_months) < today:
            due = start
        else:
            break
    return due


def current_period(*, starts_on, ends_on, every_months, today):
    """The period ``today`` falls in (clamped to the cohort's first and last period)."""
    starts = period_starts(starts_on=starts_on, ends_on=ends_on, every_months=every_months)
    if not starts:
        return None
    current = starts[0]
    for start in starts:
        if start <= today:
            current = start
    return current
