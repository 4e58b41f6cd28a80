"""HTML → PDF with WeasyPrint, offline, with fonts and stylesheets parsed once per process.

One mechanism for every PDF we make (certificates, entry receipts). WeasyPrint is
imported lazily (it is heavy); one ``FontConfiguration``, one URL fetcher, each parsed
print stylesheet and the images drawn are kept per process — parsing fonts and CSS again
for each document almost doubles the time per page. Rendering never touches the network:
the fetcher serves our own static files and ``data:`` URIs and refuses everything else (an
``<img>`` to another site in user-written text is asked for, refused and left out).
"""

import mimetypes
import threading
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

_lock = threading.Lock()
_shared = {}
_stylesheets = {}
# WeasyPrint's image cache, shared by every document this process makes: the logos and
# signatures of a template are decoded and compressed for the PDF once, not per certificate
# (without it they double the time per certificate). Emptied when it grows past the limit
# (entries are per image and per encoded stream), so memory stays bounded.
_images = {}
IMAGE_CACHE_LIMIT = 300


def public_base_url():
    return settings.TANLOV_PUBLIC_BASE_URL.rstrip("/")


def shared():
    """``{"module", "fonts", "fetcher"}``: WeasyPrint, its font configuration and our fetcher."""
    with _lock:
        if not _shared:
            import weasyprint  # a second to import: only where a PDF is made
            from weasyprint.text.fonts import FontConfiguration

            _shared.update(
                module=weasyprint,
                fonts=FontConfiguration(),
                fetcher=_local_fetcher_class(weasyprint.urls.URLFetcher)(),
            )
    return _shared


def stylesheet(path):
    """The parsed print stylesheet at static ``path`` (parsed once per process)."""
    tools = shared()
    with _lock:
        if path not in _stylesheets:
            _stylesheets[path] = tools["module"].CSS(
                filename=finders.find(path),
                base_url=public_base_url() + settings.STATIC_URL + path,
                font_config=tools["fonts"],
                url_fetcher=tools["fetcher"],
            )
    return _stylesheets[path]


def write_pdf(html, *, stylesheet_path):
    """PDF bytes for ``html`` styled by the static stylesheet ``stylesheet_path``."""
    tools = shared()
    document = tools["module"].HTML(
        string=html, base_url=public_base_url() + "/", url_fetcher=tools["fetcher"]
    )
    with _lock:
        if len(_images) > IMAGE_CACHE_LIMIT:
            _images.clear()
    return document.write_pdf(
        stylesheets=[stylesheet(stylesheet_path)], font_config=tools["fonts"], cache=_images
    )


def _local_fetcher_class(base):
    class LocalOnlyFetcher(base):
        """Serves ``data:`` URIs and our static files; refuses every other URL."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ValueError(f"Refusing to fetch {url!r} while rendering a PDF")
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
