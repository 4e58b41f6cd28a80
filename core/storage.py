"""The media storage: a private S3 bucket, with the CMS's images served from our origin.

Everything in the bucket is private and reached through short-lived presigned GETs —
except Wagtail's images (originals and renditions), which are public content by nature:
those get stable URLs under ``/media/`` that a Django view streams from the bucket. The
public site then loads no third-party origin, links in OpenGraph tags never expire, and
browsers and proxies can cache images.
"""

from django.urls import reverse
from storages.backends.s3 import S3Storage

PUBLIC_PREFIXES = ("images/", "original_images/")


def is_public(name):
    return name.startswith(PUBLIC_PREFIXES) and ".." not in name


class MediaStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_public(name):
            return reverse("public_media", args=[name])
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
