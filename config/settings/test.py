"""pytest: fast hashing, local-memory cache, eager Celery unless a test runs a real worker.

The S3 endpoint is moto's server over HTTP, started by a session fixture in
tests/conftest.py, which overrides AWS_S3_ENDPOINT_URL with its address.
"""

import os
import tempfile
from pathlib import Path

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 -- used by the test suite alone
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if _cache_redis := env.str("TANLOV_TEST_CACHE_REDIS_URL", default=""):
    # The fault tests' web processes: production's cache, on their private Redis.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": _cache_redis,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
# Eager in the test process; the `celery_worker` fixture starts its worker with it off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The Redis database the `celery_worker` fixture's worker uses: anything the Celery app
# caches (connection pool, result backend) points at the same place from the start.
CELERY_BROKER_URL = env.str("TANLOV_TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The development mailbox is mounted so that its pages are tested (and in the URL matrix);
# its folder is the test process's own, and tests that fill it point it at tmp_path.
TANLOV_DEV_MAIL = True
TANLOV_DEV_MAIL_DIR = Path(tempfile.gettempdir()) / f"tanlov-test-mail-{os.getpid()}"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
AWS_STORAGE_BUCKET_NAME = env.str("TEST_AWS_STORAGE_BUCKET_NAME", default="tanlov-test")
TANLOV_HEALTHZ_TIMEOUT = 1.0
LOGGING["root"]["level"] = "WARNING"
# Serve static files straight from the apps' folders (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
