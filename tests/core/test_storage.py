import threading
import urllib.request

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from core import s3
from tests import s3 as s3_helpers


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

    previous = settings.AWS_STORAGE_BUCKET_NAME
    s3_helpers.point_storage_at(bucket=bucket)
    try:
        call_command("setup_storage")
        s3.client().head_bucket(Bucket=bucket)
    finally:
        s3_helpers.point_storage_at(bucket=previous)


def test_threads_asking_at_once_share_one_working_client(s3_bucket):
    barrier = threading.Barrier(6)
    clients = []

    def ask():
        barrier.wait()
        clients.append(s3.client(timeout=7, attempts=2))  # a configuration no other test uses

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({id(client) for client in clients}) == 1
    assert s3.client(timeout=7, attempts=2) is clients[0]
    assert clients[0].head_bucket(Bucket=s3_bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_changed_settings_get_a_client_for_them(s3_bucket):
    dead = f"http://127.0.0.1:{s3_helpers.free_port()}"  # nothing listens there
    with override_settings(AWS_S3_ENDPOINT_URL=dead), pytest.raises(EndpointConnectionError):
        s3.client(timeout=1, attempts=1).head_bucket(Bucket=s3_bucket)
    with override_settings(AWS_ACCESS_KEY_ID="rotated-key"):
        url = s3.client().generate_presigned_url(
            "get_object", Params={"Bucket": s3_bucket, "Key": "k"}
        )

    assert s3.client(timeout=1, attempts=1).head_bucket(Bucket=s3_bucket)  # back on moto
    assert "X-Amz-Credential=rotated-key%2F" in url
