"""Live preview of a certificate template in the Wagtail admin, with sample data."""

from datetime import UTC, datetime

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from challenges.models import Challenge

from .. import placeholders
from ..models import Certificate, new_code
from .rendering import build_html, write_pdf


def sample_certificate(template):
    """An unsaved certificate with names that exercise the fonts (U+02BB, Cyrillic)."""
    challenge = Challenge(
        title="COVID-19 Challenge 2020",
        title_ru="Конкурс COVID-19 2020",
        title_en="COVID-19 Challenge 2020",
        organiser="UNDP Uzbekistan",
    )
    return Certificate(
        code=new_code(),
        kind=template.kind,
        challenge=challenge,
        recipient_name="Oʻgʻiloy Gʻulomova",
        language=template.language,
        team_name="Mahalla Volunteers",
        project_title="Yordam — volunteer matching",
        track_name="Sogʻliq",
        place=1,
        issued_at=datetime(2020, 6, 30, 9, 0, tzinfo=UTC),
    )


def serve_preview(*, template, mode, request):
    """The sample certificate as HTML (mode "") or as the real PDF (mode "pdf").

    A template whose text cannot be filled in answers with a page that names the problem.
    """
    certificate = sample_certificate(template)
    try:
        html = build_html(certificate=certificate, template=template, for_browser=mode != "pdf")
    except placeholders.PlaceholderError as exc:
        page = render_to_string(
            "certificates/admin/preview_error.html",
            {"error": str(exc), "heading": _("This template cannot be previewed")},
            request=request,
        )
        return HttpResponse(page)
    if mode == "pdf":
        response = HttpResponse(write_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response
    return HttpResponse(html)
