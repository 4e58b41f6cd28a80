"""Reading generated certificates back: text with pypdf, the QR code from a rasterised page."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import segno
from PIL import Image
from pypdf import PdfReader

from certificates.enums import CertificateKind
from certificates.models import CertificateTemplate
from tests import factories

MM_PER_INCH = 25.4


def make_template(**kwargs):
    defaults = {
        "name": "Ishtirok",
        "kind": CertificateKind.PARTICIPATION,
        "language": "uz",
        "title": "Sertifikat",
        "body": "{recipient_name} «{challenge}» tanlovida ishtirok etdi. {date}",
    }
    defaults.update(kwargs)
    return CertificateTemplate.objects.create(**defaults)


def team_member(challenge, team, full_name, *, language="uz"):
    user = factories.participant(full_name=full_name, language=language)
    from submissions.models import TeamMembership

    TeamMembership.objects.create(team=team, challenge=challenge, user=user)
    return user


def entry_with_team(challenge, names, *, status="submitted", title="Yordam"):
    """A team entry whose lead and members carry ``names`` (first name is the lead)."""
    lead = factories.UserFactory()
    factories.ProfileFactory(user=lead, full_name=names[0])
    team = factories.TeamFactory(challenge=challenge, lead=lead)
    members = [lead] + [team_member(challenge, team, name) for name in names[1:]]
    submission = factories.SubmissionFactory(
        challenge=challenge, team=team, owner=lead, status=status, title=title
    )
    return submission, members


def pdf_text(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def qr_matrix_from_pdf(pdf_bytes, *, dpi=300):
    """Rasterise the first page with poppler's pdftoppm and read the QR code's modules.

    The certificate prints the QR code in the bottom-right corner on a white quiet zone;
    we find its dark bounding box there, derive the module size from the finder pattern
    (7 modules wide), and sample the centre of every module.
    """
    pdftoppm = shutil.which("pdftoppm")  # poppler-utils, installed by scripts/ensure_system.sh
    if pdftoppm is None:
        raise RuntimeError("pdftoppm (poppler-utils) is required to read QR codes")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "c.pdf"
        source.write_bytes(pdf_bytes)
        subprocess.run(  # noqa: S603 -- fixed argv
            [
                pdftoppm,
                "-r",
                str(dpi),
                "-gray",
                "-singlefile",
                "-png",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        image = Image.open(Path(folder) / "page.png").convert("L")
        image.load()
    px_per_mm = dpi / MM_PER_INCH
    width, height = image.size
    # The verification block: 30 mm wide, 14 mm from the right edge, in the lower half.
    left, right = int(width - 44 * px_per_mm), int(width - 14 * px_per_mm)
    top = height // 2
    crop = image.crop((left, top, right, height))
    pixels = crop.load()
    w, h = crop.size
    dark = lambda x, y: pixels[x, y] < 128  # noqa: E731

    # Top edge: first row with a dark pixel; the QR is the first thing in the block.
    y0 = next(y for y in range(h) if any(dark(x, y) for x in range(w)))
    xs = [x for x in range(w) if dark(x, y0)]
    x0 = xs[0]
    run = 0
    while dark(x0 + run, y0):
        run += 1
    module = run / 7
    # The symbol is square: its width is the last dark pixel of the top row's finder pair.
    x1 = xs[-1]
    size = round((x1 - x0 + 1) / module)
    module = (x1 - x0 + 1) / size
    return [
        [
            dark(int(x0 + (col + 0.5) * module), int(y0 + (row + 0.5) * module))
            for col in range(size)
        ]
        for row in range(size)
    ]


def qr_matrix_for(url):
    qr = segno.make(url, error="m", micro=False)
    return [[bool(v) for v in row] for row in qr.matrix]


def qr_decodes_to(pdf_bytes, url):
    """True when the QR code drawn in the PDF is exactly the code segno makes for ``url``."""
    return qr_matrix_from_pdf(pdf_bytes) == qr_matrix_for(url)
