"""The fault tests' stack: private Redis, S3 (moto behind a relay), Celery worker and
gunicorn, all on free ports and all pointed at this run's test database (PostgreSQL).

``make test`` collects these tests and deselects them, saying so in its summary; they run
with ``make test-faults`` (``pytest -m faults tests/faults``), which ``.ci/run`` calls on
PostgreSQL after the two suites.
"""

import os
import time
import uuid

import pytest
from django.conf import settings

from tests import s3 as s3_helpers
from tests.notifications.gateway import TELEGRAM_TOKEN, Gateway

from .services import Gunicorn, PrivateRedis, PrivateS3, Worker

BUCKET = "tanlov-faults"
APP_SETTINGS = ("task_always_eager", "broker_url", "result_backend", "task_default_queue")


# --- deselected unless asked for -------------------------------------------------------------
def _asked_for_faults(config):
    return "faults" in (config.option.markexpr or "")


def pytest_collection_modifyitems(config, items):
    if _asked_for_faults(config):
        return
    faults = [item for item in items if item.get_closest_marker("faults")]
    if faults:
        config.hook.pytest_deselected(items=faults)
        items[:] = [item for item in items if not item.get_closest_marker("faults")]
        config._tanlov_faults_deselected = len(faults)


def pytest_terminal_summary(terminalreporter, config):
    count = getattr(config, "_tanlov_faults_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"fault tests: {count} deselected (they stop services) -- run `make test-faults`"
        )


# --- the stack ---------------------------------------------------------------------------------
def _database_url():
    from tests.conftest import _worker_database_url

    return _worker_database_url()


@pytest.fixture(autouse=True)
def _postgresql_only(request):
    if (
        request.node.get_closest_marker("faults")
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        pytest.fail(
            "the fault tests run on PostgreSQL: `make test-faults` (DATABASE_URL=postgres://…)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def private_redis():
    with PrivateRedis() as redis:
        yield redis


@pytest.fixture(scope="session")
def private_s3():
    with PrivateS3() as s3:
        s3.client().create_bucket(Bucket=BUCKET)
        yield s3


@pytest.fixture(scope="session")
def gateway_server():
    server = Gateway().start()
    yield server
    server.stop()


class Stack:
    """What one fault test runs against; ``env`` is what its processes are given."""

    def __init__(self, *, redis, s3, gateway, database_url):
        self.redis, self.s3, self.gateway = redis, s3, gateway
        self.queue = f"tanlov-faults-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "TANLOV_TEST_REDIS_URL": redis.url,
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_VISIBILITY_TIMEOUT": "8",
            "TANLOV_NOTIFICATIONS_REDIS_URL": redis.url,
            "TANLOV_NOTIFICATIONS_REDIS_PREFIX": f"faults-{uuid.uuid4().hex[:8]}",
            "TANLOV_NOTIFICATIONS_BACKOFF_BASE": "0.2",
            "TANLOV_NOTIFICATIONS_SWEEP_GRACE": "0",
            "TANLOV_NOTIFICATIONS_CLAIM_SECONDS": "6",
            "TANLOV_SMS_URL": gateway.sms_url,
            "TANLOV_SMS_TIMEOUT": "2",
            "TANLOV_SMS_RATE_LIMIT": "0",
            "TANLOV_TELEGRAM_API_URL": gateway.url,
            "TANLOV_TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TANLOV_CERTIFICATE_RETRY_DELAY": "1",
            "AWS_S3_ENDPOINT_URL": s3.endpoint,
            "TEST_AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_ACCESS_KEY_ID": "faults",
            "AWS_SECRET_ACCESS_KEY": "faults-secret",
            "PYTHONUNBUFFERED": "1",
        }
        self.processes = []

    def worker(self, pool="solo", concurrency=None, **env):
        """A started (and answering) worker on this stack's queue; stopped at the end."""
        from config.celery import app

        worker = Worker(
            env={**self.env, **env},
            queue=self.queue,
            broker_url=self.redis.url,
            pool=pool,
            concurrency=concurrency,
        )
        self.processes.append(worker)
        worker.start()
        worker.wait_ready(app)
        return worker

    def gunicorn(self, workers=2, timeout=60, **env):
        web = Gunicorn(env={**self.env, **env}, workers=workers, timeout=timeout)
        self.processes.append(web)
        web.start()
        return web

    def close(self):
        for process in reversed(self.processes):
            process.quit()
            process.log.unlink(missing_ok=True)


@pytest.fixture
def stack(transactional_db, private_redis, private_s3, gateway_server, settings):
    """This test's view of the stack: the test process sends tasks to the private Redis,
    keeps files in the private S3 (through the relay) and sends messages to the gateway,
    like the processes it starts. Services a test broke are brought back afterwards."""
    from config.celery import app
    from core.testing import forget_connections

    if not private_redis.running():
        private_redis.start()
    private_s3.up()
    gateway_server.reset()
    built = Stack(
        redis=private_redis, s3=private_s3, gateway=gateway_server, database_url=_database_url()
    )
    env = built.env
    for name in (
        "TANLOV_NOTIFICATIONS_REDIS_URL",
        "TANLOV_NOTIFICATIONS_REDIS_PREFIX",
        "TANLOV_SMS_URL",
        "TANLOV_TELEGRAM_API_URL",
        "TANLOV_TELEGRAM_BOT_TOKEN",
    ):
        setattr(settings, name, env[name])
    settings.CELERY_BROKER_URL = private_redis.url
    settings.TANLOV_SMS_RATE_LIMIT = 0
    settings.TANLOV_NOTIFICATIONS_SWEEP_GRACE = 0
    settings.TANLOV_NOTIFICATIONS_BACKOFF_BASE = 0.2
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous_endpoint = settings.AWS_S3_ENDPOINT_URL
    previous_bucket = settings.AWS_STORAGE_BUCKET_NAME
    s3_helpers.point_storage_at(endpoint=private_s3.endpoint, bucket=BUCKET)
    saved = {key: app.conf[key] for key in APP_SETTINGS}
    app.conf.update(
        task_always_eager=False,
        broker_url=private_redis.url,
        result_backend=private_redis.url,
        task_default_queue=built.queue,
    )
    forget_connections(app)
    try:
        yield built
    finally:
        built.close()
        app.conf.update(saved)
        forget_connections(app)
        s3_helpers.point_storage_at(endpoint=previous_endpoint, bucket=previous_bucket)
        private_s3.up()
        if not private_redis.running():
            private_redis.start()


def wait_for(predicate, timeout=60, step=0.2, what="condition"):
    from .services import wait_until

    wait_until(predicate, timeout=timeout, step=step, what=what)


def pause(seconds):
    time.sleep(seconds)
