import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core import s3


def test_storage_saves_to_s3_and_reads_back(s3_bucket):
    name = default_storage.save("smoke/hello.txt", ContentFile(b"salom dunyo"))

    head = s3.client().head_object(Bucket=s3_bucket, Key=name)
    with default_storage.open(name) as handle:
        assert handle.read() == b"salom dunyo"
    assert head["ContentLength"] == len(b"salom dunyo")


def test_storage_urls_are_short_lived_presigned_gets(s3_bucket):
    name = default_storage.save("smoke/private.txt", ContentFile(b"secret"))

    url = default_storage.url(name)

    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
    with urllib.request.urlopen(url) as response:  # noqa: S310 -- loopback moto server
        assert response.read() == b"secret"


def test_setup_storage_blocks_public_access_and_sets_cors(s3_bucket):
    from django.core.management import call_command

    call_command("setup_storage", origins=["https://tanlov.example.uz"])

    client = s3.client()
    block = client.get_public_access_block(Bucket=s3_bucket)["PublicAccessBlockConfiguration"]
    cors = client.get_bucket_cors(Bucket=s3_bucket)["CORSRules"]
    assert all(block.values())
    assert cors[0]["AllowedOrigins"] == ["https://tanlov.example.uz"]
    assert "POST" in cors[0]["AllowedMethods"]


@pytest.mark.parametrize("bucket", ["tanlov-created-by-command"])
def test_setup_storage_creates_missing_bucket(settings, bucket):
    from django.core.management import call_command

    from tests import s3 as s3_helpers

    previous = settings.AWS_STORAGE_BUCKET_NAME
    s3_helpers.point_storage_at(bucket=bucket)
    try:
        call_command("setup_storage")
        s3.client().head_bucket(Bucket=bucket)
    finally:
        s3_helpers.point_storage_at(bucket=previous)
