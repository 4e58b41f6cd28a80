"""Settings shared by every environment, read from the environment (12-factor).

Each variable has an embedded default that suits `make run` on a laptop: SQLite in
`var/`, an S3-compatible endpoint on loopback, tasks run eagerly. Production sets the
variables (see docs/deploy.md) and uses `config.settings.production`.
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# An insecure key exists only so that `make run` and the tests need no set-up;
# production.py refuses to start without a real one.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Tanlov
    "core",
    "challenges",
    "submissions",
    "judging",
    "certificates",
    "incubation",
    "notifications",
    "voting",
    "hackathons",
    "broadcasts",
    "reporting",
    "opendata",
    "cms",
    "api",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "django_filters",
    "storages",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    # Django
    "core.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",  # allauth signs its e-mails with the Site (core/sites.py)
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.TanlovLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tanlov.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
    # WAL lets the dev server read while a task writes; timeout rides out short locks.
    # IMMEDIATE: a transaction takes the write lock as it begins, so a second writer (two
    # worker processes issuing certificates) waits for it instead of failing with
    # "database is locked" when its read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real Celery worker started by a test sees the same rows.
    # Per process, so that parallel runs (several developers, CI) never share one file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://tanlov")}

# --- Accounts -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}

# --- Logins, client addresses, redirects (issue 12; docs/deploy.md "Client addresses") --
# One way in: the allauth login, with its rate limits and e-mail verification. The Wagtail
# and Django admin login pages only redirect to it (config/urls.py, core.views.admin_login).
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
SITE_ID = 1  # its name and domain come from these settings (core/sites.py)
# Log in by e-mail; sign-up asks no username (allauth makes one up), so neither form can
# tell a visitor whether an account exists: an address already taken gets the same
# "check your e-mail" answer, and its owner an e-mail saying so.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_PREVENT_ENUMERATION = True
WAGTAIL_PASSWORD_RESET_ENABLED = False  # resets go through allauth's (rate-limited) form
# How many proxies that we run append to X-Forwarded-For (core/client_ip.py). 0: none,
# the header is ignored and the client is REMOTE_ADDR. Any client can write that header,
# so a number larger than the real chain lets anyone pick the address rate limits see.
TANLOV_TRUSTED_PROXY_HOPS = env.int("TANLOV_TRUSTED_PROXY_HOPS", default=0)
# allauth reads addresses through core.accounts.AccountAdapter.get_client_ip; its own
# setting says the same, for any allauth code that reads it directly.
ALLAUTH_TRUSTED_PROXY_COUNT = TANLOV_TRUSTED_PROXY_HOPS
# --- end of logins, client addresses, redirects ----------------------------------------

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "uz"
LANGUAGES = [
    ("uz", _("Uzbek")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tashkent"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]  # English dates day first, 24-hour clock
USE_TZ = True

# --- Static files and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Every uploaded file goes to S3 (any S3-compatible endpoint); nothing is written to the
# web server's disk. Locally the endpoint is moto's server on loopback.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="tanlov-local")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="http://127.0.0.1:9100") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="tanlov-local")
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="tanlov-local-secret")
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="path")
AWS_DEFAULT_ACL = None  # private bucket: objects inherit the bucket's (private) policy
# Browser uploads above this go up in parts of UPLOAD_PART_SIZE (S3: at least 5 MB each);
# objects from UPLOAD_MULTIPART_COPY_THRESHOLD up (CopyObject's 5 GiB) are sealed in parts.
UPLOAD_MULTIPART_THRESHOLD = env.int("UPLOAD_MULTIPART_THRESHOLD", default=50 * 1024 * 1024)
UPLOAD_PART_SIZE = env.int("UPLOAD_PART_SIZE", default=10 * 1024 * 1024)
UPLOAD_MULTIPART_COPY_THRESHOLD = 5 * 1024**3
AWS_QUERYSTRING_AUTH = True  # downloads are presigned GETs
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
AWS_S3_FILE_OVERWRITE = False
AWS_S3_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies (SIGKILL, OOM) goes back to the queue instead of being
# acknowledged as failed; every task is idempotent, so running it again is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A message taken by a worker that vanished (the whole worker killed, the host lost) is
# handed out again after this many seconds. It must exceed the longest task and the longest
# retry countdown (certificates: at most 900 s), or a slow task would run twice (harmless,
# the tasks are idempotent, but wasted). The fault tests set it to a few seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- E-mail ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tanlov <noreply@tanlov.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The development mailbox (core/mailbox.py): a page listing the e-mails sent, for `make run`
# only (dev.py turns it on with DEBUG; production.py forces it off).
TANLOV_DEV_MAIL = env.bool("TANLOV_DEV_MAIL", default=False)
TANLOV_DEV_MAIL_DIR = env.path("TANLOV_DEV_MAIL_DIR", default=VAR_DIR / "mail")

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Tanlov"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Sessions are written through to the database and read from the cache (Redis in
# production): one query less on every signed-in page, and nothing lost if the cache is
# flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Security defaults that hold everywhere -------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the upload script reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Security headers: Content-Security-Policy and Permissions-Policy (core/headers.py) -
# The site's policy: nothing inline, no eval, no third-party origin. connect-src also gets,
# per response, the S3 origin the browser uploads to (derived from AWS_S3_* by
# core.headers.upload_origin). The no-JS upload fallback posts to our own origin.
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS.append("csp")  # its system checks
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "core.headers.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("core.headers.ContentSecurityPolicyMiddleware") + 1,
    "core.headers.PermissionsPolicyMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # QR codes and charts are inline SVG; data: for icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# Wagtail's admin (and Django's) still needs inline scripts and styles and eval (modal
# choosers), shows blob: previews of images being uploaded and frames its own previews.
TANLOV_ADMIN_CSP_PREFIXES = ("/admin/", "/django-admin/")
TANLOV_ADMIN_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
}
# Browser features no page of ours uses, switched off for the page and every frame in it.
TANLOV_PERMISSIONS_POLICY_DENY = [
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
    "browsing-topics",
]
# --- end of security headers -----------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "botocore": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "werkzeug": {"level": "WARNING"},
    },
}

# Tanlov's own knobs.
TANLOV_DEFAULT_TIME_ZONE = "Asia/Tashkent"
# Seconds before a certificate whose PDF could not be stored is tried again (doubling).
TANLOV_CERTIFICATE_RETRY_DELAY = env.int("TANLOV_CERTIFICATE_RETRY_DELAY", default=15)
# The one absolute base of links that leave the site: in e-mails, SMS and Telegram
# messages, on certificates (QR codes) and in Open Badges.
TANLOV_PUBLIC_BASE_URL = env.str("TANLOV_PUBLIC_BASE_URL", default=WAGTAILADMIN_BASE_URL)
TANLOV_HEALTHZ_TIMEOUT = env.float("TANLOV_HEALTHZ_TIMEOUT", default=2.0)
# Drafts and files of never-submitted or withdrawn entries are deleted this many months
# after their challenge closes (submissions.services.retention; docs/security.md).
TANLOV_RETENTION_DRAFT_MONTHS = env.int("TANLOV_RETENTION_DRAFT_MONTHS", default=12)
# Backups (`manage.py backup`/`restore`; docs/deploy.md): the local directory, an optional
# bucket (and key prefix) each backup is copied to, how many local backups to keep (0: all).
TANLOV_BACKUP_DIR = env.path("TANLOV_BACKUP_DIR", default=VAR_DIR / "backups")
TANLOV_BACKUP_BUCKET = env.str("TANLOV_BACKUP_BUCKET", default="")
TANLOV_BACKUP_PREFIX = env.str("TANLOV_BACKUP_PREFIX", default="tanlov")
TANLOV_BACKUP_KEEP = env.int("TANLOV_BACKUP_KEEP", default=14)

# --- Notifications (outbox, SMS and Telegram gateways; docs/notifications.md) ----------
TANLOV_NOTIFICATIONS_BATCH_SIZE = env.int("TANLOV_NOTIFICATIONS_BATCH_SIZE", default=100)
# More recipients than this: one Broadcast row in the request, the rows written by a task.
TANLOV_NOTIFICATIONS_BROADCAST_THRESHOLD = env.int(
    "TANLOV_NOTIFICATIONS_BROADCAST_THRESHOLD", default=200
)
TANLOV_NOTIFICATIONS_MAX_ATTEMPTS = env.int("TANLOV_NOTIFICATIONS_MAX_ATTEMPTS", default=8)
TANLOV_NOTIFICATIONS_BACKOFF_BASE = env.float("TANLOV_NOTIFICATIONS_BACKOFF_BASE", default=30.0)
TANLOV_NOTIFICATIONS_BACKOFF_MAX = env.float("TANLOV_NOTIFICATIONS_BACKOFF_MAX", default=3600.0)
TANLOV_NOTIFICATIONS_CLAIM_SECONDS = env.int("TANLOV_NOTIFICATIONS_CLAIM_SECONDS", default=120)
TANLOV_NOTIFICATIONS_SWEEP_GRACE = env.int("TANLOV_NOTIFICATIONS_SWEEP_GRACE", default=30)
TANLOV_NOTIFICATIONS_REDIS_URL = env.str("TANLOV_NOTIFICATIONS_REDIS_URL", default=REDIS_URL)
TANLOV_NOTIFICATIONS_REDIS_PREFIX = env.str("TANLOV_NOTIFICATIONS_REDIS_PREFIX", default="tanlov")
TANLOV_EMAIL_RATE_LIMIT = env.int("TANLOV_EMAIL_RATE_LIMIT", default=0)  # per second; 0 = none
TANLOV_SMS_URL = env.str("TANLOV_SMS_URL", default="")  # empty: no SMS is recorded
TANLOV_SMS_STYLE = env.str("TANLOV_SMS_STYLE", default="generic")  # generic | playmobile
TANLOV_SMS_TOKEN = env.str("TANLOV_SMS_TOKEN", default="")  # Bearer token, or …
TANLOV_SMS_USERNAME = env.str("TANLOV_SMS_USERNAME", default="")  # … basic auth
TANLOV_SMS_PASSWORD = env.str("TANLOV_SMS_PASSWORD", default="")
TANLOV_SMS_SENDER = env.str("TANLOV_SMS_SENDER", default="Tanlov")
TANLOV_SMS_TIMEOUT = env.float("TANLOV_SMS_TIMEOUT", default=10.0)
TANLOV_SMS_RATE_LIMIT = env.int("TANLOV_SMS_RATE_LIMIT", default=50)  # messages per second
TANLOV_TELEGRAM_API_URL = env.str("TANLOV_TELEGRAM_API_URL", default="https://api.telegram.org")
TANLOV_TELEGRAM_BOT_TOKEN = env.str("TANLOV_TELEGRAM_BOT_TOKEN", default="")
TANLOV_TELEGRAM_BOT_USERNAME = env.str("TANLOV_TELEGRAM_BOT_USERNAME", default="TanlovBot")
TANLOV_TELEGRAM_WEBHOOK_SECRET = env.str("TANLOV_TELEGRAM_WEBHOOK_SECRET", default="")
TANLOV_TELEGRAM_TIMEOUT = env.float("TANLOV_TELEGRAM_TIMEOUT", default=10.0)
TANLOV_TELEGRAM_RATE_LIMIT = env.int("TANLOV_TELEGRAM_RATE_LIMIT", default=25)  # Bot API: ~30/s
# Verification pages answered per client address and minute before "429 Too Many Requests".
TANLOV_VERIFY_RATE_PER_MINUTE = env.int("TANLOV_VERIFY_RATE_PER_MINUTE", default=30)
# Requests to the read-only API (/api/v1/, /api/v2/) per client address and minute (docs/api.md).
TANLOV_API_RATE_PER_MINUTE = env.int("TANLOV_API_RATE_PER_MINUTE", default=60)
# Open data (docs/opendata.md): a count of fewer than this many is withheld, and so is any
# count that would reveal one (opendata/services/suppression.py).
TANLOV_OPENDATA_MIN_CELL = env.int("TANLOV_OPENDATA_MIN_CELL", default=5)
# Votes (casting or changing) per client address and per account before "429" (allauth's
# rate syntax; voting/views.py). A classroom shares one address: keep the /ip part generous.
TANLOV_VOTE_RATE = env.str("TANLOV_VOTE_RATE", default="30/1m/ip,5/1m/user")

from config.beat import BEAT_SCHEDULE  # noqa: E402 -- periodic tasks live in their own module

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
