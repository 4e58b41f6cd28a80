import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from wagtail.images.models import Image

pytestmark = pytest.mark.django_db


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "#0b5cab").save(buffer, "PNG")
    return buffer.getvalue()


def test_cms_image_renditions_are_served_from_our_origin(client, s3_bucket):
    image = Image.objects.create(title="Hero", file=ContentFile(_png(), name="hero.png"))
    rendition = image.get_rendition("fill-20x10")

    response = client.get(rendition.url)

    assert rendition.url.startswith("/media/images/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_private_files_are_never_served_through_the_public_media_view(client, s3_bucket):
    name = default_storage.save("submissions/1/2/secret-key", ContentFile(b"%PDF-1.4 private"))

    assert client.get(f"/media/{name}").status_code == 404
    assert "X-Amz-Signature=" in default_storage.url(name)


def test_public_media_view_rejects_traversal_and_missing_objects(client, s3_bucket):
    assert client.get("/media/images/../submissions/x").status_code == 404
    assert client.get("/media/images/nothing-here.png").status_code == 404
