"""A boto3 S3 client built from the same settings as django-storages' default storage.

Services that need S3 operations django-storages does not offer (presigned POSTs,
multipart uploads, HEAD with short timeouts) take their client from here.
"""

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from django.conf import settings


def client(*, timeout=None, attempts=None, unsigned=False):
    """Return an S3 client; ``timeout``/``attempts`` tighten it for probes.

    ``unsigned`` builds URLs without credentials: enough to learn which origin the signed
    ones point at (core.headers), with no credential lookup and no network call.
    """
    config = Config(
        signature_version=UNSIGNED if unsigned else settings.AWS_S3_SIGNATURE_VERSION,
        s3={"addressing_style": settings.AWS_S3_ADDRESSING_STYLE},
        connect_timeout=timeout or 10,
        read_timeout=timeout or 60,
        retries={"total_max_attempts": attempts or 3, "mode": "standard"},
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.AWS_S3_ENDPOINT_URL,
        region_name=settings.AWS_S3_REGION_NAME,
        aws_access_key_id=settings.AWS_ACCESS_KEY_ID or None,
        aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY or None,
        config=config,
    )


def bucket_name():
    return settings.AWS_STORAGE_BUCKET_NAME
