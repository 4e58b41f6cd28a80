"""Certificate HTML → PDF through ``core.pdf`` (WeasyPrint offline, fonts and styles reused).

Images that live in S3 (backgrounds, signatures, logos) are read through storage and
inlined as ``data:`` URIs, since the PDF fetcher serves only our static files.
"""

import base64
import logging
import mimetypes

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import pdf

from .. import placeholders
from ..enums import CertificateKind

logger = logging.getLogger(__name__)

STYLESHEET = "certificates/pdf/certificate.css"
HTML_TEMPLATE = "certificates/pdf/certificate.html"
# Page sizes in millimetres (portrait); landscape swaps them.
PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210), "letter": (216, 279)}

_image_cache = {}

public_base_url = pdf.public_base_url


def verify_url(code):
    """The absolute, language-neutral address printed in the QR code.

    ``/verify/<code>/`` has no language prefix on purpose: the locale middleware sends the
    person who scans it to the page in their own language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certificate_verify", kwargs={"code": code})
    prefix = f"/{settings.LANGUAGE_CODE}/"
    if path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    return public_base_url() + path


def qr_svg(url):
    """The QR code for ``url`` as inline SVG (vector, so it stays sharp when printed)."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=0, omitsize=True, dark="#000", light=None)


# --- WeasyPrint (core.pdf: one per process, shared with every other PDF) --------------------
def _weasyprint():
    """WeasyPrint, fonts, fetcher and the certificate stylesheet (the bench's raw floor)."""
    return {**pdf.shared(), "css": pdf.stylesheet(STYLESHEET)}


def write_pdf(html):
    """PDF bytes for ``html`` with the shared fonts, certificate stylesheet and offline fetcher."""
    return pdf.write_pdf(html, stylesheet_path=STYLESHEET)


# --- images from storage ----------------------------------------------------------------
def image_data_uri(image):
    """``image`` (a Wagtail image) inlined as a data URI; None when its file is missing.

    Cached per process by file name: a file name never changes content in Wagtail.
    """
    if image is None:
        return None
    key = image.file.name
    if key in _image_cache:
        return _image_cache[key]
    try:
        with image.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # noqa: BLE001 -- a missing or unreadable image must not stop issuing
        logger.warning("certificate image %s is missing; rendering without it", key)
        return None
    content_type = mimetypes.guess_type(key)[0] or "image/png"
    uri = f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
    _image_cache[key] = uri
    return uri


# --- the certificate's HTML ---------------------------------------------------------------
def values_for(*, certificate, signatories):
    """The placeholder values for ``certificate`` in its language."""
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        issued = certificate.issued_at or timezone.now()
        return {
            "recipient_name": certificate.recipient_name,
            "challenge": certificate.challenge.display_title,
            "track": certificate.track_name,
            "place": str(certificate.place) if certificate.place else "",
            "team": certificate.team_name,
            "project_title": certificate.project_title,
            "date": formats.date_format(timezone.localtime(issued).date(), "DATE_FORMAT"),
            "signatories": ", ".join(s["name"] for s in signatories),
        }


def name_size_class(name):
    """Long names get a smaller type size so that they wrap inside the page."""
    length = len(name or "")
    if length > 120:
        return "name-xl"
    if length > 60:
        return "name-l"
    return ""


_assets_cache = {}


def template_assets(template, *, cached=False):
    """Signatories, logos and background of ``template``, images inlined.

    With ``cached`` (issuing), kept per process by template and its ``updated_at`` (saving
    the template or its inline rows changes it): a batch reads them once, not per row.
    The live preview passes ``cached=False``: its template is an unsaved form state.
    """
    key = (template.pk, template.updated_at)
    if cached and template.pk and key in _assets_cache:
        return _assets_cache[key]
    assets = {
        "background": image_data_uri(template.background) if template.background_id else None,
        "logos": [
            {"src": uri, "alt": logo.alt}
            for logo in template.logos.all()
            if (uri := image_data_uri(logo.image))
        ],
        "signatories": [
            {
                "name": s.name,
                "position": s.position,
                "signature": image_data_uri(s.signature) if s.signature_id else None,
            }
            for s in template.signatories.all()
        ],
    }
    if cached and template.pk:
        _assets_cache[key] = assets
    return assets


def build_html(*, certificate, template, for_browser=False, cached=False):
    """The certificate's HTML; raises ``placeholders.PlaceholderError`` on a bad template."""
    assets = template_assets(template, cached=cached)
    values = values_for(certificate=certificate, signatories=assets["signatories"])
    width, height = PAGE_SIZES.get(template.page_size, PAGE_SIZES["A4"])
    if template.orientation == "landscape":
        width, height = height, width
    url = verify_url(certificate.code)
    language = certificate.language or template.language
    with translation.override(language):
        context = {
            **assets,
            "language": language,
            "for_browser": for_browser,
            "stylesheet": STYLESHEET,
            "page_width": width,
            "page_height": height,
            "title": mark_safe(placeholders.fill(template.title, values)),  # noqa: S308 -- escaped by fill()
            "body": mark_safe(placeholders.fill(template.body, values, paragraphs=True)),  # noqa: S308
            "recipient_name": values["recipient_name"],
            "name_class": name_size_class(values["recipient_name"]),
            "kind": certificate.kind,
            "challenge_title": values["challenge"],
            "place_label": (
                certificate.place_label if certificate.kind == CertificateKind.WINNER else ""
            ),
            "project_title": certificate.project_title,
            "project_label": _("Project"),
            "quotes": ("“", "”") if language.startswith("en") else ("«", "»"),
            "code": certificate.code,
            "verify_url": url,
            "qr": mark_safe(qr_svg(url)),  # noqa: S308 -- segno's own SVG
            "verify_label": _("Verify at"),
            "code_label": _("Certificate code"),
        }
        return render_to_string(HTML_TEMPLATE, context)


def render_certificate(*, certificate, template, cached=False):
    """PDF bytes of ``certificate`` drawn with ``template``."""
    return write_pdf(build_html(certificate=certificate, template=template, cached=cached))
