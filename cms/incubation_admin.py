"""Staff action: draft a public success story (a translatable Wagtail page) from a project.

It lives in ``cms`` because domain apps never import Wagtail page models; incubation only
keeps the page id. Wired by importing this module from ``cms/wagtail_hooks.py``.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.models import Page

from core.access import obtain
from incubation.models import Project
from incubation.services.projects import record_story

from .services import publish_success_story


def story_paragraphs(project):
    """What the draft starts with: the project's own words and its latest report."""
    submission = project.submission
    paragraphs = [str(submission.answer("problem")), str(submission.answer("solution"))]
    reports = list(project.reports.order_by("-period_start")[:1])
    if reports:
        paragraphs.append(reports[0].narrative)
    return [text.strip() for text in paragraphs if text and text.strip()]


@transaction.atomic
def draft_story(*, project, by):
    """Draft the story page for ``project`` once; later calls return the same page.

    Side effects: a draft ``SuccessStoryPage`` with ru/en translations (see
    ``cms.services.publish_success_story``) and the page id kept on the project.
    """
    if project.story_page_id:
        page = Page.objects.filter(pk=project.story_page_id).first()
        if page is not None:
            return page
    page = publish_success_story(
        title=project.title,
        intro=project.summary,
        paragraphs=story_paragraphs(project),
        by=by,
    )
    record_story(project=project, page_id=page.pk, by=by)
    return page


@require_POST
def publish_story_view(request, pk):
    project = obtain(
        request.user,
        Project.objects.select_related("submission"),
        see="incubation.manage_project",
        pk=pk,
    )
    try:
        page = draft_story(project=project, by=request.user)
    except ValueError as exc:  # no home page to put the stories index under
        messages.error(request, str(exc))
        return redirect("incubation:project", pk=project.pk)
    if page is None:  # pragma: no cover -- publish_success_story always returns a page
        raise Http404
    messages.success(
        request,
        _("A draft success story was created; review it and send it for translation."),
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


@hooks.register("register_admin_urls")
def register_story_url():
    return [
        path(
            "incubation/projects/<int:pk>/story/",
            publish_story_view,
            name="incubation_story",
        )
    ]
