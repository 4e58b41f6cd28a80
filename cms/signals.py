"""Keep the cached site header (cms/navigation.py) in step with the page tree and settings.

Any change that can alter a menu, a home link or the footer stores a new header
generation. Page saves that only touch revision bookkeeping (a draft saved in the admin)
leave the cache alone.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import navigation
from cms.models import SiteSettings

# Page fields the header shows or that decide which pages it lists.
HEADER_FIELDS = frozenset(
    {"title", "slug", "url_path", "live", "show_in_menus", "path", "depth", "locale"}
)


def _invalidate(**kwargs):
    # Now, so that this process (and this transaction) sees the change at once, and again
    # after the commit: another worker may have rebuilt the header from the old rows
    # in between, stamped with the new generation.
    navigation.invalidate()
    transaction.on_commit(navigation.invalidate)


def _page_saved(instance, update_fields=None, **kwargs):
    if update_fields is None or HEADER_FIELDS.intersection(update_fields):
        _invalidate()


def connect():

    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(_invalidate, dispatch_uid=f"cms.header.{name}")
    for model in get_page_models():
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"cms.header.save.{model}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"cms.header.del.{model}")
    for model in (Site, SiteSettings):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"cms.header.save.{model}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"cms.header.del.{model}")
