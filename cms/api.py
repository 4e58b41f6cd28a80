"""Wagtail's API v2 under ``/api/v2/``: the live, public pages and the CMS's images.

Read-only JSON only (no browsable HTML renderer: it would need Django REST framework's
templates and inline scripts the Content-Security-Policy forbids). Pages come from
Wagtail's own ``get_public_pages_queryset`` — live pages without a view restriction —
so drafts and private pages never appear. Documents are left out: a document's privacy
is its collection's, which the documents endpoint does not check. Rate-limited with the
JSON API, in one budget (``api.limits``). Also answers the API's question "which challenges are
public" (``api.selectors.PUBLIC_CHALLENGES``, registered in ``cms/wagtail_hooks.py``).
"""

from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from api.limits import api_limited

from .models import ChallengePage


class RateLimited:
    renderer_classes = [JSONRenderer]

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        return api_limited(view)


class PublicPages(RateLimited, PagesAPIViewSet):
    pass


class PublicImages(RateLimited, ImagesAPIViewSet):
    pass


router = WagtailAPIRouter("wagtailapi_v2")
router.register_endpoint("pages", PublicPages)
router.register_endpoint("images", PublicImages)


def public_challenge_ids():
    """Ids (a subquery) of the challenges a live, public page presents, in any language."""
    return ChallengePage.objects.live().public().values("challenge_id")
