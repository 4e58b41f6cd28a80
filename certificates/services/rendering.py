"""Certificate HTML → PDF with WeasyPrint, offline and with reused fonts and styles.

WeasyPrint is imported lazily (it is heavy and only workers render). One
``FontConfiguration`` and one parsed print stylesheet are kept per process: parsing the
fonts and the CSS again for each certificate almost doubles the time per page.
Rendering never touches the network: the URL fetcher serves our own static files and
``data:`` URIs and refuses everything else; images that live in S3 (backgrounds,
signatures, logos) are read through storage and inlined as ``data:`` URIs.
"""

import base64
import logging
import mimetypes
import threading
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import placeholders

logger = logging.getLogger(__name__)

STYLESHEET = "certificates/pdf/certificate.css"
HTML_TEMPLATE = "certificates/pdf/certificate.html"
# Page sizes in millimetres (portrait); landscape swaps them.
PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210), "letter": (216, 279)}

_lock = threading.Lock()
_shared = {}
_image_cache = {}


def public_base_url():
    return settings.TANLOV_PUBLIC_BASE_URL.rstrip("/")


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


# --- WeasyPrint, loaded once per process ---------------------------------------------------
def _weasyprint():
    with _lock:
        if not _shared:
            import weasyprint  # a second to import: only where a PDF is made
            from weasyprint.text.fonts import FontConfiguration

            fetcher = _local_fetcher_class(weasyprint.urls.URLFetcher)()
            font_config = FontConfiguration()
            css_path = finders.find(STYLESHEET)
            css = weasyprint.CSS(
                filename=css_path,
                base_url=public_base_url() + settings.STATIC_URL + STYLESHEET,
                font_config=font_config,
                url_fetcher=fetcher,
            )
            _shared.update(module=weasyprint, fonts=font_config, css=css, fetcher=fetcher)
    return _shared


def _local_fetcher_class(base):
    class LocalOnlyFetcher(base):
        """Serves ``data:`` URIs and our static files; refuses every other URL."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ValueError(f"Refusing to fetch {url!r} while rendering a certificate")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as handle:
                body = handle.read()
            from weasyprint.urls import URLFetcherResponse

            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return LocalOnlyFetcher


def static_path(url):
    """The local file behind a static URL of ours, or None for anything else."""
    parts = urlsplit(url)
    base = urlsplit(public_base_url())
    if parts.scheme == "file" or (parts.scheme and parts.netloc != base.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL) or ".." in path.split("/"):
        return None
    return finders.find(path[len(settings.STATIC_URL) :])


def write_pdf(html):
    """PDF bytes for ``html`` with the shared fonts, stylesheet and offline fetcher."""
    shared = _weasyprint()
    document = shared["module"].HTML(
        string=html, base_url=public_base_url() + "/", url_fetcher=shared["fetcher"]
    )
    return document.write_pdf(stylesheets=[shared["css"]], font_config=shared["fonts"])


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
