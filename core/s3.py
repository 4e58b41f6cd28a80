"""A boto3 S3 client built from the same settings as django-storages' default storage.

Services that need S3 operations django-storages does not offer (presigned POSTs,
multipart uploads, HEAD with short timeouts) take their client from here.

Building a client costs far more than an S3 call (botocore loads its service models), so
``client()`` builds one per distinct configuration and process, and hands the same one out
afterwards. boto3 clients are thread-safe; sessions are not, so the one session is only
used under a lock, to build clients. The cache is keyed on the settings the client is built
from: a changed endpoint, region or key (a test repointing storage, a rotated credential)
gets a new client.
"""

import threading

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from django.conf import settings

_lock = threading.Lock()
_session = None
_clients = {}


def _configuration(timeout, attempts):
    return (
        settings.AWS_S3_ENDPOINT_URL,
        settings.AWS_S3_REGION_NAME,
        settings.AWS_ACCESS_KEY_ID or None,
        settings.AWS_SECRET_ACCESS_KEY or None,
        settings.AWS_S3_SIGNATURE_VERSION,
        settings.AWS_S3_ADDRESSING_STYLE,
        timeout or 10,
        timeout or 60,
        attempts or 3,
    )


def _build(configuration):
    global _session  # the one session, created on first use
    (endpoint, region, key_id, secret, signature, addressing, connect, read, attempts, unsigned) = (
        configuration
    )
    if _session is None:
        _session = boto3.session.Session()
    return _session.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(
            signature_version=UNSIGNED if unsigned else signature,
            s3={"addressing_style": addressing},
            connect_timeout=connect,
            read_timeout=read,
            retries={"total_max_attempts": attempts, "mode": "standard"},
        ),
    )


def client(*, timeout=None, attempts=None, unsigned=False):
    """Return an S3 client; ``timeout``/``attempts`` tighten it for probes.

    The same configuration gives the same (shared, thread-safe) client. ``unsigned``
    builds URLs without credentials: enough to learn which origin the signed ones point at
    (core.headers), with no credential lookup and no network call.
    """
    configuration = (*_configuration(timeout, attempts), unsigned)
    found = _clients.get(configuration)
    if found is None:
        with _lock:
            found = _clients.get(configuration)
            if found is None:
                found = _clients[configuration] = _build(configuration)
    return found


def bucket_name():
    return settings.AWS_STORAGE_BUCKET_NAME
