"""Production: everything comes from the environment; nothing insecure is defaulted.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, AWS_* (or an IAM role),
EMAIL_URL. See docs/deploy.md.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import REDIS_URL, SECRET_KEY, env

DEBUG = False
# The development mailbox shows everyone's e-mails (sign-up links included): never here.
TANLOV_DEV_MAIL = False
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")

# Rate limits (allauth, certificate verification) need a cache shared by all workers.
# A Redis outage reads as an empty cache (core/cache.py), not as an error on every page.
CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
