"""Wagtail admin hooks of the website app."""

from django.urls import path
from wagtail import hooks

from . import (
    admin_views,
    incubation_admin,  # noqa: F401 -- registers the "publish as success story" action
)


@hooks.register("register_admin_urls")
def register_translation_urls():
    return [
        path(
            "cms/pages/<int:page_id>/submit-translation/",
            admin_views.submit_translation_view,
            name="cms_submit_translation",
        )
    ]


hooks.register("register_page_header_buttons", admin_views.page_header_buttons)


@hooks.register("tanlov_public_challenge_ids")  # api.selectors.PUBLIC_CHALLENGES
def public_challenge_ids():
    from .api import public_challenge_ids

    return public_challenge_ids()
