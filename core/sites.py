"""The one ``django.contrib.sites`` Site: named Tanlov, at the public address.

allauth signs its e-mails with the current Site ("Hello from Tanlov!", "[Tanlov] Please
confirm …", "Thank you for using Tanlov! tanlov.uz"). Without the sites framework it falls
back to the request's host, and mails were signed "127.0.0.1:8000". The Site is written
from the settings (``WAGTAIL_SITE_NAME``, the host of ``TANLOV_PUBLIC_BASE_URL``) after
every ``migrate`` — and after a test flush — rather than by a one-off data migration, so
that it follows the settings of each deployment instead of those of its first migrate.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.color import no_style
from django.db import connections


def site_name():
    return settings.WAGTAIL_SITE_NAME


def site_domain():
    return urlsplit(settings.TANLOV_PUBLIC_BASE_URL).netloc or "localhost"


def sync_site(*, apps=None, using="default", **_kwargs):
    """``post_migrate``: create or update Site ``SITE_ID``. Runs before Django's own
    ``create_default_site`` (core's receiver is connected first), which then finds the
    Site and adds no "example.com"."""
    if apps is None:
        from django.apps import apps
    try:
        site_model = apps.get_model("sites", "Site")
    except LookupError:  # a migrate that stopped before the sites app
        return
    _site, created = site_model.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"name": site_name(), "domain": site_domain()}
    )
    if created:  # an explicit pk: move the sequence past it, as Django's own does (#17415)
        with connections[using].cursor() as cursor:
            for command in connections[using].ops.sequence_reset_sql(no_style(), [site_model]):
                cursor.execute(command)
