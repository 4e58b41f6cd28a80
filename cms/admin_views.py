"""Staff views of the website app inside the Wagtail admin.

``submit_translation_view``: an editor without publish permission finishes a translation
made in wagtail-localize's editor by sending it to the moderators (the editor itself only
offers "Publish" to publishers). GET shows what will be sent and how much is translated;
POST submits. Reached from the translation editor (our override of its template), and from
the page's header menu in the page explorer.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.widgets import Button
from wagtail.models import Page

from core.access import allowed, obtain
from core.errors import Refused, show

from .selectors import synced_translation
from .services import submit_translation


def offers_submit_translation(page, user):
    """Whether ``user`` gets the "Submit translation for moderation" action on ``page``:
    a synced translation they may edit but not publish, not already in moderation.
    Publishers publish from the translation editor itself."""
    return (
        allowed(user, "cms.submit_translation", page)
        and not page.permissions_for_user(user).can_publish()
        and not page.workflow_in_progress
        and synced_translation(page) is not None
    )


def submit_translation_view(request, page_id):
    page = obtain(request.user, Page, see="cms.submit_translation", pk=page_id).specific
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if request.method == "POST":
        try:
            revision = submit_translation(page=page, by=request.user)
        except Refused as exc:
            show(request, exc)
        else:
            messages.success(
                request,
                _(
                    "“%(title)s” in %(language)s was submitted for moderation. A moderator "
                    "will review and publish it."
                )
                % {
                    "title": revision.object_str,
                    "language": page.locale.get_display_name(),
                },
            )
        return redirect(edit_url)
    translation = synced_translation(page)
    total, translated = translation.get_progress() if translation else (0, 0)
    return TemplateResponse(
        request,
        "cms/admin/submit_translation.html",
        {
            "page": page,
            "translation": translation,
            "total": total,
            "translated": translated,
            "missing": total - translated,
            "in_moderation": page.workflow_in_progress,
            "edit_url": edit_url,
        },
    )


def page_header_buttons(page, user, view_name, next_url=None):
    """The action in the page's header menu of the explorer (``register_page_header_buttons``)."""
    if offers_submit_translation(page, user):
        yield Button(
            _("Submit translation for moderation"),
            url=reverse("cms_submit_translation", args=[page.pk]),
            icon_name="resubmit",
            priority=12,
        )
