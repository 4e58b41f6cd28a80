"""Periodic tasks (Celery beat). Each app adds its entries here; one beat process runs them."""

from celery.schedules import crontab

BEAT_SCHEDULE = {}

# every kind of uploaded file (entries, incubation evidence): abandoned pending uploads,
# refused ones and stale multipart uploads, hourly.
BEAT_SCHEDULE["core.purge_uploads"] = {
    "task": "core.purge_uploads",
    "schedule": crontab(minute=17),
}

# incubation: milestones due soon/overdue and missing progress reports; every few hours so a
# missed run is caught up, while the task itself sends at most one reminder per thing per day.
BEAT_SCHEDULE["incubation.send_reminders"] = {
    "task": "incubation.send_reminders",
    "schedule": crontab(minute=5, hour="3,9,15"),
}

# notifications: queue outbox rows left pending (failed first task, backoff due, dead worker).
BEAT_SCHEDULE["notifications.sweep"] = {
    "task": "notifications.sweep",
    "schedule": 60.0,
}

# broadcasts: send the scheduled ones whose time has come (and any "send now" whose task was
# lost); sending is once per broadcast however often this runs.
BEAT_SCHEDULE["broadcasts.send_due"] = {
    "task": "broadcasts.send_due",
    "schedule": 60.0,
}

# submissions: drafts and files of never-submitted or withdrawn entries, deleted
# TANLOV_RETENTION_DRAFT_MONTHS after their challenge closed (docs/security.md); daily.
BEAT_SCHEDULE["submissions.apply_retention"] = {
    "task": "submissions.apply_retention",
    "schedule": crontab(minute=41, hour=2),
}

# hackathons: offered places not confirmed in time go to the next on the waitlist.
BEAT_SCHEDULE["hackathons.expire_offers"] = {
    "task": "hackathons.expire_offers",
    "schedule": 300.0,
}
