"""Fixtures every test module can use: S3 over HTTP, a real Celery worker, a browser."""

import itertools
import os
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from tests import s3 as s3_helpers

_bucket_numbers = itertools.count(1)


# --- summary ----------------------------------------------------------------------------
def _skip_reason(report):
    if isinstance(report.longrepr, tuple):  # (path, line, "Skipped: reason")
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """After pytest's own summary, one line: how many tests were skipped, and why."""
    result = yield
    reasons = Counter(_skip_reason(r) for r in terminalreporter.stats.get("skipped", []))
    total = sum(reasons.values())
    if len(reasons) > 1:
        why = "; ".join(f"{count}: {reason}" for reason, count in reasons.most_common())
    else:
        why = next(iter(reasons), "")
    terminalreporter.write_line(f"skipped: {total} ({why})" if why else "skipped: 0")
    return result


# --- S3 ---------------------------------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def s3_server():
    """One moto S3 server per test session, on a free loopback port, reached over HTTP."""
    server, endpoint = s3_helpers.start_server()
    s3_helpers.point_storage_at(endpoint=endpoint, bucket=settings.AWS_STORAGE_BUCKET_NAME)
    s3_helpers.create_bucket(settings.AWS_STORAGE_BUCKET_NAME)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """A fresh, empty bucket for this test; storage points at it until the test ends."""
    previous = settings.AWS_STORAGE_BUCKET_NAME
    name = f"tanlov-test-{os.getpid()}-{next(_bucket_numbers)}"
    s3_helpers.create_bucket(name)
    s3_helpers.point_storage_at(bucket=name)
    yield name
    s3_helpers.point_storage_at(bucket=previous)


# --- language ---------------------------------------------------------------------------
TESTS = Path(__file__).resolve().parent
# Where tests assert English source texts (the uz/ru catalogues translate them), gettext runs
# in English for the whole test; elsewhere the site's default language (uz) stays.
ENGLISH = (
    "certificates/",
    "judging/",
    "submissions/",
    "core/test_uploads.py",
    "challenges/test_eligibility.py",
    "challenges/test_entry_fields.py",
    "voting/test_phone.py",
    "incubation/test_uploads.py",
)


def _reads_english(request):
    return request.path.relative_to(TESTS).as_posix().startswith(ENGLISH)


@pytest.fixture(autouse=True)
def _english(request):
    """English for the folders that read English; every test starts and ends in the
    site's default language, whatever the one before it activated."""
    translation.deactivate()
    if not _reads_english(request):
        yield
    else:
        with translation.override("en"):
            yield
    translation.deactivate()


# --- caches -----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _clear_caches():
    """Wagtail caches site root paths; a rolled-back test must not leave them behind."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


# --- Celery -----------------------------------------------------------------------------
def _worker_database_url():
    from django.db import connection

    params = connection.settings_dict
    if params["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or "postgres"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, s3_server):
    """A real Celery worker process on Redis, sharing the test database and S3 endpoint.

    Tasks sent by the test go through the broker (eager mode is switched off for the
    test). Needs a transactional test so that the worker sees committed rows. How the
    worker is started and the app pointed at it: ``core.testing.running_worker``.
    """
    from config.celery import app
    from core.testing import running_worker, worker_environment

    redis_url = settings.CELERY_BROKER_URL
    queue = f"tanlov-test-{os.getpid()}-{time.monotonic_ns()}"
    env = worker_environment(
        settings_module="config.settings.test",
        database_url=_worker_database_url(),
        broker_url=redis_url,
        # Tasks a task queues run in-line inside the worker (test settings are eager), so
        # a test waits for one hop through the broker, not a chain of them.
        queue=queue,
        AWS_S3_ENDPOINT_URL=settings.AWS_S3_ENDPOINT_URL,
        TEST_AWS_STORAGE_BUCKET_NAME=settings.AWS_STORAGE_BUCKET_NAME,
    )
    with running_worker(app, env=env, queue=queue, broker_url=redis_url):
        yield app


# --- browser ----------------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium_path():
    for candidate in (os.environ.get("TANLOV_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright.

    A missing Chromium fails the test (``make test`` installs it): a skipped browser test
    would hide exactly what it is there to check.
    """
    path = _chromium_path()
    if path is None:
        pytest.fail(
            "Chromium not found: run `make test` (installs it as root) or "
            "`sudo apt-get install -y chromium`; TANLOV_CHROMIUM may name another binary",
            pytrace=False,
        )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-GB")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


# --- people -----------------------------------------------------------------------------
@pytest.fixture
def manager(request, db):
    """A staff member, ``manager``, as the platform makes challenge managers: in the
    "Challenge managers" group (admin access, challenge and cohort permissions). Where tests
    read English (``ENGLISH``), the Wagtail admin speaks English to them too; elsewhere the
    site's default, Uzbek. They manage the challenges the test adds them to (in
    tests/certificates and tests/incubation: the package's ``challenge``)."""
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    from tests.factories import UserFactory

    user = UserFactory(username="manager", is_staff=True)
    user.groups.add(Group.objects.get(name="Challenge managers"))
    if _reads_english(request):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
    return user


# --- site -------------------------------------------------------------------------------
@pytest.fixture
def home_pages(db):
    """The home page in uz, ru and en, with the default Site pointing at it."""
    from cms.demo.site import ensure_home_pages

    return ensure_home_pages()


# --- the demo, loaded once ----------------------------------------------------------------
# Loading the whole demo (`load_demo`) takes ~10 s. Tests that only read it (and may change
# it inside their own transaction) ask for `shared_demo`: the demo is loaded once, inside a
# transaction that is never committed; those tests run one after the other in it, each in
# its own savepoint (pytest-django's rollback), and the transaction is rolled back before the
# next test that did not ask for it. Test files in S3 are in the session's bucket (a test
# that also takes `s3_bucket` does not see them). Transactional tests (`transaction=True`,
# `live_server`, `celery_worker`) cannot share it: they load their own demo.
SHARED_DEMO = "shared_demo"
_TRANSACTIONAL = {"transactional_db", "live_server", "celery_worker"}


class _SharedDemo:
    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    def open(self):
        from django.core.management import call_command
        from django.db import transaction

        self.blocker.unblock()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        try:
            call_command("load_demo", force=True, verbosity=0)
        except BaseException:
            self.close()
            raise

    def close(self):
        from django.db import transaction

        if self.atomic is None:
            return
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.atomic = None
        self.blocker.restore()


_shared_demo = None


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(_TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def _order(item):
    """pytest-django's order (rolled-back db tests, transactional ones, the rest), with the
    tests sharing the demo last among the rolled-back ones, so that they run together."""
    names = getattr(item, "fixturenames", ())
    if _transactional(item):
        return 2
    if SHARED_DEMO in names:
        return 1
    if item.get_closest_marker("django_db") or "db" in names:
        return 0
    return 3


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if SHARED_DEMO in getattr(item, "fixturenames", ()) and _transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot use {SHARED_DEMO} "
                "(its flush would erase the demo); load the demo in the test"
            )
    items.sort(key=_order)  # stable: pytest-django's order inside each group stays


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test: roll the shared demo back before the first test that
    did not ask for it (and load it again should one that does come later: another plugin
    may have reordered the tests)."""
    if _shared_demo is None:
        return
    wants = SHARED_DEMO in getattr(item, "fixturenames", ())
    if wants and _shared_demo.atomic is None:
        _shared_demo.open()
    elif not wants:
        _shared_demo.close()


@pytest.fixture(scope="session")
def _shared_demo_session(django_db_setup, django_db_blocker, s3_server):
    global _shared_demo  # the hooks above open and close it between tests
    _shared_demo = _SharedDemo(django_db_blocker)
    _shared_demo.open()
    yield _shared_demo
    _shared_demo.close()
    _shared_demo = None


@pytest.fixture
def shared_demo(_shared_demo_session, db):
    """The whole demo (`load_demo`), loaded once per test run; changes roll back."""
    return _shared_demo_session


# --- the test database, migrated once per set of migrations --------------------------------
# Migrating a fresh test database takes most of a short run's time (30-90 s here). The
# migrated database is kept as a template named by a hash of every installed app's migration
# files: a file in var/ on SQLite, a database on PostgreSQL (CREATE DATABASE … TEMPLATE). A
# run whose migrations hash the same starts from a copy and only checks that nothing is left
# to apply. Each run still has its own test database; a changed migration (in the project or
# a package) builds a new template. `--create-db` ignores the template.
def _migrations_hash():
    import hashlib
    from importlib import import_module

    from django.apps import apps

    digest = hashlib.sha256()
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        try:
            module = import_module(f"{app.name}.migrations")
        except ImportError:
            continue
        for path in sorted(Path(module.__file__).parent.glob("*.py")):
            digest.update(f"{app.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _SqliteTemplate:
    def __init__(self, connection, key):
        self.test_file = Path(connection.settings_dict["TEST"]["NAME"])
        self.template = self.test_file.with_name(f"test-template-{key}.sqlite3")

    def exists(self):
        return self.template.exists()

    def restore(self):
        self._copy(self.template, self.test_file)

    def save(self):
        for stale in self.template.parent.glob("test-template-*.sqlite3"):
            stale.unlink(missing_ok=True)
        self._copy(self.test_file, self.template)

    @staticmethod
    def _copy(source, target):
        import sqlite3

        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        src, dst = sqlite3.connect(source), sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)  # atomic: a parallel run sees the whole file or none


class _PostgresTemplate:
    def __init__(self, connection, key):
        self.connection = connection
        self.test_name = connection.creation._get_test_db_name()
        self.template = f"tanlov_test_template_{key}"

    def _run(self, *statements):
        with self.connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def exists(self):
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template])
            return cursor.fetchone() is not None

    def restore(self):
        quote = self.connection.ops.quote_name
        self._run(
            f"DROP DATABASE IF EXISTS {quote(self.test_name)}",
            f"CREATE DATABASE {quote(self.test_name)} TEMPLATE {quote(self.template)}",
        )

    def save(self):
        quote = self.connection.ops.quote_name
        partial = f"{self.template}_{os.getpid()}"
        self.connection.close()  # a template must have no other session
        self._run(
            f"DROP DATABASE IF EXISTS {quote(partial)}",
            f"CREATE DATABASE {quote(partial)} TEMPLATE {quote(self.test_name)}",
        )
        if self.exists():  # a parallel run was quicker
            self._run(f"DROP DATABASE {quote(partial)}")
        else:
            self._run(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(self.template)}")


def _template_for(connection):
    key = _migrations_hash()
    if connection.vendor == "sqlite":
        name = connection.settings_dict.get("TEST", {}).get("NAME")
        return _SqliteTemplate(connection, key) if name and name != ":memory:" else None
    if connection.vendor == "postgresql":
        return _PostgresTemplate(connection, key)
    return None


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's ``django_db_setup``, starting from the migrated template if any."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    verbosity = request.config.option.verbose
    reuse = django_db_keepdb and not django_db_createdb  # --reuse-db: pytest-django's way
    if not django_db_use_migrations:
        _disable_migrations()
    with django_db_blocker.unblock():
        template = None
        if django_db_use_migrations and not reuse and not django_db_createdb:
            template = _template_for(connections["default"])
        restored = template is not None and template.exists()
        if restored:
            template.restore()
        aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=bool(reuse or restored),  # keepdb: use the database there is, migrate the rest
        )
        if template is not None and not restored:
            template.save()
    yield
    if not reuse:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=verbosity)  # drops this run's database
