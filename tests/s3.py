"""Helpers for tests that talk to moto's S3 server over HTTP."""

import socket

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.utils.functional import empty
from moto.server import ThreadedMotoServer

from core import s3


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def point_storage_at(*, endpoint=None, bucket=None):
    """Repoint settings and the cached storage objects at another endpoint/bucket."""
    if endpoint is not None:
        settings.AWS_S3_ENDPOINT_URL = endpoint
    if bucket is not None:
        settings.AWS_STORAGE_BUCKET_NAME = bucket
    storages._storages = {}
    default_storage._wrapped = empty


def create_bucket(name):
    s3.client().create_bucket(Bucket=name)
