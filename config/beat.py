"""Periodic tasks (Celery beat). Each app adds its entries here; one beat process runs them."""

from celery.schedules import crontab  # noqa: F401 -- used by entries as they are added

BEAT_SCHEDULE = {}
