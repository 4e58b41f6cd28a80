"""The PDF receipt a team downloads for a submitted version: what the jury judges, frozen.

Rendered from the version's frozen data only (answers with the labels they were asked
with, the files with their SHA-256), in the reader's language, through ``core.pdf``.
Every value is escaped by the template: an answer's HTML or script is printed as text.
"""

from django.template.loader import render_to_string
from django.utils import translation

from core import pdf

from . import answers

STYLESHEET = "submissions/pdf/receipt.css"


def receipt_filename(submission, version):
    title = version.data.get("title") or submission.title or "entry"
    return f"{title} — v{version.number}.pdf"


def receipt_pdf(*, submission, version, track=None, language=None):
    """PDF bytes of ``version`` of ``submission`` in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        html = render_to_string(
            "submissions/pdf/receipt.html",
            {
                "submission": submission,
                "version": version,
                "track": track,
                "answers": answers.shown(version.data.get("answers"), audience="team"),
                "language": translation.get_language(),
            },
        )
    return pdf.write_pdf(html, stylesheet_path=STYLESHEET)
