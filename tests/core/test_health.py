import pytest
from django.urls import reverse

from tests import s3 as s3_helpers

pytestmark = pytest.mark.django_db


def test_healthz_all_parts_up_answers_200(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"

    response = client.get(reverse("healthz"))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert [body[part]["ok"] for part in ("database", "storage", "broker")] == [True] * 3


def test_healthz_storage_stopped_answers_503(client, settings):
    server, endpoint = s3_helpers.start_server()
    previous = settings.AWS_S3_ENDPOINT_URL
    try:
        s3_helpers.point_storage_at(endpoint=endpoint)
        s3_helpers.create_bucket(settings.AWS_STORAGE_BUCKET_NAME)
        assert client.get(reverse("healthz")).status_code == 200

        server.stop()
        response = client.get(reverse("healthz"))
    finally:
        s3_helpers.point_storage_at(endpoint=previous)

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["storage"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_missing_bucket_answers_503(client, settings):
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket-here"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["storage"]["ok"] is False


def test_healthz_broker_unreachable_answers_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{s3_helpers.free_port()}/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_healthz_rejects_post(client):
    assert client.post(reverse("healthz")).status_code == 405
