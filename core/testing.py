"""Starting a real Celery worker process, for the test suite and the benchmarks only.

``tests/conftest.py::celery_worker``, ``bench/certificates.py`` and
``bench/notifications.py`` all run the same worker (``celery -A config worker`` on a
private queue, no gossip, mingle or heartbeat) against a Redis broker, wait until it
answers ``core.ping`` and stop it afterwards. This module is that one recipe.

Application code never imports it: it starts processes and rewires the Celery app's
broker, which only a test or a benchmark may do.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The parts of the Celery app's configuration a running worker is pointed at.
_APP_SETTINGS = ("task_always_eager", "broker_url", "result_backend", "task_default_queue")


def worker_environment(*, settings_module, database_url, broker_url, queue, **extra):
    """The worker's environment: ours, plus its settings, database, broker and queue.

    The broker also keeps the results. The worker's default queue is its own queue, so
    tasks it queues itself (retries, fan-out) stay with it. ``extra`` adds variables.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **extra,
    }


def worker_argv(*, queue, pool="solo", concurrency=None):
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--pool={pool}",
    ]
    if concurrency is not None:
        argv.append(f"--concurrency={concurrency}")
    return [
        *argv,
        "--loglevel=WARNING",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def start_worker(*, env, queue, pool="solo", concurrency=None, stdout=None, stderr=None):
    """Start ``celery worker`` consuming ``queue`` only; returns the process."""
    return subprocess.Popen(  # noqa: S603 -- fixed argv, our own worker
        worker_argv(queue=queue, pool=pool, concurrency=concurrency),
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=stderr,
    )


def wait_for_worker(app, queue, process, timeout=None):
    """Block until the worker answers ``core.ping`` on ``queue``.

    ``timeout`` defaults to ``TANLOV_WORKER_START_TIMEOUT`` (90 s): a loaded CI machine can
    take a while to import Django and Wagtail in a new process.
    """

    from core.tasks import ping  # here, after django.setup(): the benches import us first

    timeout = timeout or float(os.environ.get("TANLOV_WORKER_START_TIMEOUT", "90"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {process.returncode}")
        try:
            ping.apply_async(args=["ready"], queue=queue).get(timeout=2)
            return
        except Exception:  # noqa: BLE001, S112 -- not up yet; keep polling until the deadline
            continue
    raise RuntimeError(f"Celery worker did not answer within {timeout} s")


def stop_worker(process, timeout=15):
    """SIGTERM (a warm shutdown: running tasks finish), then SIGKILL after ``timeout``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def forget_connections(app):
    """Drop the app's cached broker pool and result backend.

    Both are built from the configuration the first time something uses them; a test that
    ran earlier (with other settings) must not leave this worker's test talking to the
    wrong broker or reading results from the wrong Redis database.
    """
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def running_worker(
    app,
    *,
    env,
    queue,
    broker_url,
    pool="solo",
    concurrency=None,
    stdout=None,
    stderr=None,
    stop_timeout=15,
):
    """Run a worker for the ``with`` block, with ``app`` sending to it; yields the process.

    Inside the block ``app`` is not eager and sends tasks (and reads results) through
    ``broker_url``, by default to ``queue``. On exit the worker is stopped and the app's
    previous configuration and connections are restored.
    """
    process = start_worker(
        env=env, queue=queue, pool=pool, concurrency=concurrency, stdout=stdout, stderr=stderr
    )
    saved = {key: app.conf[key] for key in _APP_SETTINGS}
    app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        result_backend=broker_url,
        task_default_queue=queue,
    )
    forget_connections(app)
    try:
        wait_for_worker(app, queue, process)
        yield process
    finally:
        stop_worker(process, timeout=stop_timeout)
        app.conf.update(saved)
        forget_connections(app)
