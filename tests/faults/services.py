"""Private services the fault tests break: each one is started here, on a free port, and
stopped, killed or restarted by its own PID. The shared PostgreSQL (5432) and Redis (6379)
are never touched.

    with PrivateRedis() as redis, PrivateS3() as s3:
        ...
        redis.kill()        # SIGKILL by PID: the broker is gone, its queue with it
        redis.start()       # the same port again, empty
        with s3.down():     # the endpoint refuses connections; the objects survive
            ...

* ``PrivatePostgres``: a throwaway cluster (initdb as the ``postgres`` user, as in
  /work/shared/STACK.md), ``stop()`` is ``pg_ctl stop -m immediate`` (the postmaster's PID).
* ``PrivateRedis``: ``redis-server --port N`` without persistence.
* ``PrivateS3``: ``moto_server`` on one port and, in front of it, a TCP relay on another:
  the app is given the relay. moto keeps its objects in memory, so killing it would lose
  them, which a real S3 outage does not; ``down()`` closes the relay instead (new
  connections are refused, open ones are cut), ``up()`` opens it again on the same port.
  ``direct`` is moto's own endpoint, for the test's own checks while the relay is down.
* ``Worker``: ``celery worker`` (core.testing's recipe) with the Celery app of the test
  process pointed at the same broker; ``kill()`` is SIGKILL, ``child_pids()`` the pool's.
* ``Gunicorn``: ``gunicorn config.wsgi`` with N workers.

Every wait has a deadline, so a service that does not come up fails the test instead of
hanging CI.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = float(os.environ.get("TANLOV_FAULTS_START_TIMEOUT", "90"))


def isolated(env):
    """``env`` for a child Python started with ``-S``: this checkout and the virtualenv's
    site-packages on ``PYTHONPATH``, and no ``.pth`` files. A shared virtualenv's editable
    install (a .pth finder) would otherwise fill in modules this checkout lacks from
    another checkout; with ``-S`` the child imports exactly the code under test."""
    import site

    paths = [str(ROOT), *site.getsitepackages()]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}


def python(*argv):
    return [sys.executable, "-S", *argv]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout, step=0.1, what="condition"):
    """Poll ``predicate`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001, S110 -- not yet; poll again
            pass
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _kill(process, sig=signal.SIGTERM, timeout=15):
    if process is None or process.poll() is not None:
        return
    os.kill(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


class _Service:
    """start/stop/kill/restart of one process by its PID; a context manager."""

    name = "service"

    def __init__(self):
        self.process = None
        self.log = Path(tempfile.mkstemp(prefix=f"tanlov-faults-{self.name}-", suffix=".log")[1])

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def _popen(self, argv, *, env=None, cwd=ROOT):
        with self.log.open("ab") as log:
            return subprocess.Popen(  # noqa: S603 -- fixed argv, our own service
                argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def tail(self, lines=40):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """SIGTERM by PID (a clean shutdown), SIGKILL if it does not go within 15 s."""
        _kill(self.process)
        self.process = None

    def kill(self):
        """SIGKILL by PID: gone at once, with whatever it was doing."""
        _kill(self.process, signal.SIGKILL)
        self.process = None

    def quit(self):
        """SIGQUIT by PID: Celery's cold and gunicorn's quick shutdown (end of a test)."""
        _kill(self.process, signal.SIGQUIT, timeout=10)
        self.process = None

    def restart(self):
        self.stop()
        self.start()

    def start(self):
        raise NotImplementedError

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        self.log.unlink(missing_ok=True)


class PrivateRedis(_Service):
    name = "redis"

    def __init__(self):
        super().__init__()
        self.port = free_port()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = self._popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                tempfile.gettempdir(),
            ]
        )
        wait_until(self.ping, timeout=20, what=f"redis on {self.port}")

    def ping(self):
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return client.ping()
        finally:
            client.close()


class PrivatePostgres(_Service):
    """A throwaway cluster; the process is the postmaster (pg_ctl start -w)."""

    name = "postgres"
    ROOT = Path("/usr/lib/postgresql")
    BIN = ROOT / (sorted(os.listdir(ROOT))[-1] if ROOT.exists() else "15") / "bin"

    def __init__(self):
        super().__init__()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tanlov-faults-pg-"))
        self.data = self.dir / "data"
        shutil.chown(self.dir, "postgres", "postgres")
        shutil.chown(self.log, "postgres", "postgres")
        self._as_postgres(
            str(self.BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def _as_postgres(self, *argv, timeout=120):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603 -- fixed argv
            [*prefix, *argv], check=True, capture_output=True, timeout=timeout
        )

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-l", str(self.log), "-o", options, "-w", "start")
        self.postmaster = int((self.data / "postmaster.pid").read_text().split()[0])

    def running(self):
        return (self.data / "postmaster.pid").exists()

    def stop(self):
        """``pg_ctl stop -m immediate``: the postmaster drops every connection at once."""
        if self.running():
            self._pg_ctl("-m", "immediate", "-w", "stop")

    def _pg_ctl(self, *argv):
        self._as_postgres(str(self.BIN / "pg_ctl"), "-D", str(self.data), *argv)

    kill = stop

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.log.unlink(missing_ok=True)


class _Relay:
    """A TCP relay 127.0.0.1:port → 127.0.0.1:target that can refuse and cut connections."""

    def __init__(self, port, target):
        self.port, self.target = port, target
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()
        self.latency = 0.0  # seconds added before each chunk sent upstream: a slow endpoint

    def open(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self):
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            for sock in list(self.sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            for a, b, slow in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pump, args=(a, b, slow), daemon=True).start()

    def _pump(self, source, sink, slow):
        try:
            while data := source.recv(65536):
                if slow and self.latency:
                    time.sleep(self.latency)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)
            with self.lock:
                for sock in (source, sink):
                    if sock in self.sockets and sock.fileno() == -1:
                        self.sockets.discard(sock)


class PrivateS3(_Service):
    name = "s3"

    def __init__(self):
        super().__init__()
        self.moto_port = free_port()
        self.port = free_port()
        self.relay = _Relay(self.port, self.moto_port)

    @property
    def endpoint(self):
        """What the app is given: the relay, which ``down()`` closes."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def direct(self):
        """moto itself, for the test's checks while the relay is down."""
        return f"http://127.0.0.1:{self.moto_port}"

    def start(self):
        self.process = self._popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.moto_port)]
        )
        wait_until(
            lambda: requests.get(f"{self.direct}/moto-api/", timeout=1).ok,
            timeout=30,
            what="moto_server",
        )
        self.up()

    def up(self):
        if self.relay.listener is None:
            self.relay.open()

    def down(self):
        self.relay.close()

    @contextlib.contextmanager
    def outage(self):
        self.down()
        try:
            yield
        finally:
            self.up()

    def stop(self):
        self.down()
        super().stop()

    def client(self):
        """A boto3 client on moto directly (works while the relay is down)."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.direct,
            region_name="us-east-1",
            aws_access_key_id="faults",
            aws_secret_access_key="faults-secret",
            config=Config(s3={"addressing_style": "path"}),
        )

    def objects(self, bucket, prefix=""):
        """``{key: sha256}`` of every object under ``prefix``."""
        import hashlib

        client = self.client()
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                found[item["Key"]] = hashlib.sha256(body).hexdigest()
        return found


class Worker(_Service):
    """A Celery worker on ``queue``; the test process's Celery app sends to it."""

    name = "worker"

    def __init__(self, *, env, queue, broker_url, pool="solo", concurrency=None):
        super().__init__()
        self.env, self.queue, self.broker_url = env, queue, broker_url
        self.pool, self.concurrency = pool, concurrency

    def start(self):
        from core.testing import worker_argv

        argv = worker_argv(queue=self.queue, pool=self.pool, concurrency=self.concurrency)
        self.process = self._popen(python(*argv[1:]), env=isolated(self.env))

    def wait_ready(self, app, timeout=START_TIMEOUT):
        from core.testing import wait_for_worker

        try:
            wait_for_worker(app, self.queue, self.process, timeout=timeout)
        except RuntimeError as exc:
            raise AssertionError(f"{exc}\n{self.tail()}") from exc

    def child_pids(self):
        """The pool's processes (prefork), children of the worker's main process."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []


class Gunicorn(_Service):
    name = "gunicorn"

    def __init__(self, *, env, workers=2, timeout=60):
        super().__init__()
        self.env, self.workers, self.timeout = env, workers, timeout
        self.port = free_port()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = self._popen(
            python(
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                str(self.timeout),
                "--graceful-timeout",
                "5",
                "--no-control-socket",  # the default path is one per machine, not ours
            ),
            env=isolated(self.env),
        )
        try:
            wait_until(
                lambda: requests.get(f"{self.url}/healthz", timeout=5).status_code in (200, 503),
                timeout=START_TIMEOUT,
                step=0.3,
                what="gunicorn",
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.tail()}") from exc
