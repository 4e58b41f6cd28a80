"""Helpers for tests that talk to moto's S3 server over HTTP."""

import socket

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.utils.functional import empty
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

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
    """Repoint settings and the cached storage objects at another endpoint/bucket.

    A new endpoint drops the storage objects (django-storages builds its connections from
    it); a new bucket only renames the bucket on the ones there are, keeping their boto3
    connections (each costs a session and botocore's models: ~0.4 s a test otherwise).
    """
    if endpoint is not None and endpoint != settings.AWS_S3_ENDPOINT_URL:
        settings.AWS_S3_ENDPOINT_URL = endpoint
        storages._storages = {}
        default_storage._wrapped = empty
    if bucket is not None:
        settings.AWS_STORAGE_BUCKET_NAME = bucket
        for storage in storages._storages.values():
            if isinstance(storage, S3Storage):
                storage.bucket_name = bucket
                storage._bucket = None  # the cached boto3 Bucket of the previous name


def create_bucket(name):
    s3.client().create_bucket(Bucket=name)
