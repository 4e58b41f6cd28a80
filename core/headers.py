"""Security headers: Content-Security-Policy (django-csp) and Permissions-Policy.

Two policies, chosen by path (settings in config/settings/base.py, "Security headers"):

- the site — public pages, participants, jurors, mentors, incubation staff — runs no
  inline script, no inline style and no ``eval``: everything comes from our own origin,
  plus the S3 origin the browser uploads to (presigned POSTs and multipart PUTs are
  sent by ``fetch``/``XMLHttpRequest``, so that origin joins ``connect-src``);
- the Wagtail admin (``/admin/``) and the Django admin (``/django-admin/``) get
  ``TANLOV_ADMIN_CSP_DIRECTIVES``: Wagtail's admin still writes inline scripts and
  styles and its choosers evaluate code, so that policy allows them, and lets the admin
  frame its own page previews. Both still refuse other origins, plugins and framing by
  other sites.

The S3 origin is read from the settings at response time (tests point storage at a moto
server started during the session) and derived by boto3 itself, so it always matches the
URLs the upload views hand out, whatever the endpoint and addressing style.
"""

import functools
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

from . import s3


@functools.lru_cache(maxsize=8)
def _upload_origin(endpoint, bucket, addressing_style, region):
    url = s3.client(unsigned=True).generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "probe"}
    )
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def upload_origin():
    """The origin presigned upload URLs point at (scheme://host[:port])."""
    return _upload_origin(
        settings.AWS_S3_ENDPOINT_URL,
        settings.AWS_STORAGE_BUCKET_NAME,
        settings.AWS_S3_ADDRESSING_STYLE,
        settings.AWS_S3_REGION_NAME,
    )


def is_admin_path(path):
    return path.startswith(tuple(settings.TANLOV_ADMIN_CSP_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy on admin paths and the upload
    origin added to ``connect-src``. A view's own ``@csp``/``@csp_update`` still wins."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.TANLOV_ADMIN_CSP_DIRECTIVES)
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", ()), upload_origin()]
        parts.update = update
        return parts


@functools.lru_cache(maxsize=4)
def _permissions_policy(features):
    return ", ".join(f"{feature}=()" for feature in features)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the browser features the site never uses are switched off
    for every page and every frame (``TANLOV_PERMISSIONS_POLICY_DENY``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        features = tuple(settings.TANLOV_PERMISSIONS_POLICY_DENY)
        if features and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = _permissions_policy(features)
        return response
