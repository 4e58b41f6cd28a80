"""`make run`: the embedded default. SQLite, moto's S3 server on loopback, eager tasks."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Sign-up works without an SMTP server: every e-mail is kept in the development mailbox
# (var/mail/), readable at /<lang>/dev/mail/ — the verification link too (core/mailbox.py).
TANLOV_DEV_MAIL = env.bool("TANLOV_DEV_MAIL", default=DEBUG)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="core.mailbox.MailboxBackend"
    if TANLOV_DEV_MAIL
    else "django.core.mail.backends.console.EmailBackend",
)
# Static files are served from the finder (no collectstatic needed while developing).
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Serve static files straight from the apps' folders (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
