"""The PDF a recipient receives: their name, the challenge, the code and a QR code that
leads to the verification page — in Uzbek Latin, Cyrillic, RTL and very long names."""

import io

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from wagtail.images.models import Image

from certificates.models import Certificate
from certificates.services import rendering
from tests.certificates.helpers import make_template, pdf_text, qr_decodes_to, qr_matrix_for

pytestmark = pytest.mark.django_db


def _certificate(challenge, name, *, language="uz"):
    user = challenge.managers.first()
    return Certificate(
        kind="participation",
        challenge=challenge,
        recipient=user,
        recipient_name=name,
        language=language,
        project_title="Yordam",
    )


def test_pdf_shows_uzbek_latin_name_challenge_code_and_qr(challenge):
    template = make_template()
    certificate = _certificate(challenge, "Oʻgʻiloy Gʻulomova")

    pdf = rendering.render_certificate(certificate=certificate, template=template)

    reader, text = pdf_text(pdf)
    assert len(reader.pages) == 1
    assert "Oʻgʻiloy Gʻulomova" in text  # U+02BB survives into the PDF text layer
    assert "Sogʻlom kelajak" in text
    assert certificate.code in text
    url = rendering.verify_url(certificate.code)
    assert url == f"http://testserver.example/verify/{certificate.code}/" or url.endswith(
        f"/verify/{certificate.code}/"
    )
    assert qr_decodes_to(pdf, url)
    assert not qr_decodes_to(pdf, url.replace(certificate.code, "0" * 16))


def test_pdf_shows_cyrillic_name_and_russian_title(challenge):
    template = make_template(
        language="ru", title="Сертификат", body="{recipient_name} — участник «{challenge}»."
    )
    certificate = _certificate(challenge, "Алишер Навоийев", language="ru")

    _reader, text = pdf_text(
        rendering.render_certificate(certificate=certificate, template=template)
    )

    assert "Алишер Навоийев" in text
    assert "Здоровое будущее" in text
    assert "Сертификат" in text


def test_two_hundred_character_name_wraps_on_one_page(challenge):
    name = ("Gʻayratjon Oʻktamovich Toʻxtaboyev-Shermuhammedov " * 5)[:200]
    certificate = _certificate(challenge, name)

    pdf = rendering.render_certificate(certificate=certificate, template=make_template())

    reader, text = pdf_text(pdf)
    assert len(reader.pages) == 1
    squeezed = "".join(text.split())
    assert "".join(name.split()) in squeezed
    assert certificate.code in text


def test_rtl_name_renders_on_one_page(challenge):
    certificate = _certificate(challenge, "محمد الخوارزمي")

    reader, text = pdf_text(
        rendering.render_certificate(certificate=certificate, template=make_template())
    )

    assert len(reader.pages) == 1
    assert "الخوارزمي" in text or "يمزراوخلا" in text  # logical or visual order


def _image(s3_bucket, name="background.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), (230, 240, 255)).save(buffer, "PNG")
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # flushed by a transactional test
        Collection.add_root(name="Root")
    image = Image(title="bg", file=ImageFile(io.BytesIO(buffer.getvalue()), name=name))
    image.save()
    return image


def test_missing_background_image_still_renders(challenge, s3_bucket):
    image = _image(s3_bucket)
    default_storage.delete(image.file.name)  # the object vanished from the bucket
    template = make_template(background=image)
    certificate = _certificate(challenge, "Aziz Tursunov")

    reader, text = pdf_text(
        rendering.render_certificate(certificate=certificate, template=template)
    )

    assert len(reader.pages) == 1
    assert "Aziz Tursunov" in text


def test_background_image_is_inlined_not_fetched(challenge, s3_bucket):
    template = make_template(background=_image(s3_bucket))
    certificate = _certificate(challenge, "Aziz Tursunov")

    html = rendering.build_html(certificate=certificate, template=template)

    assert 'src="data:image/png;base64,' in html
    assert "http://127.0.0.1" not in html.split("<body>")[1].split('class="verify"')[0]


def test_fetcher_serves_own_static_files_and_refuses_everything_else():
    fetcher = rendering._weasyprint()["fetcher"]
    base = rendering.public_base_url()

    font = fetcher.fetch(f"{base}/static/certificates/fonts/DejaVuSans.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    for url in (
        "https://example.org/logo.png",
        "file:///etc/passwd",
        f"{base}/static/../../etc/passwd",
        f"{base}/media/anything.png",
    ):
        with pytest.raises(ValueError, match="Refusing"):
            fetcher.fetch(url)


def test_external_image_in_template_text_is_not_fetched(challenge, monkeypatch):
    fetched = []
    fetcher = rendering._weasyprint()["fetcher"]
    original = type(fetcher).fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(type(fetcher), "fetch", spy)
    html = '<p>x</p><img src="https://example.org/tracker.png">'

    pdf = rendering.write_pdf(html)

    assert pdf.startswith(b"%PDF-")
    assert fetched == ["https://example.org/tracker.png"]  # asked, refused, not downloaded


def test_each_certificates_qr_and_link_lead_to_its_own_verification_page(challenge):
    """Two certificates rendered one after the other: each PDF's QR code (read back from the
    rasterised page) and printed link carry its own code, never the other's."""
    template = make_template()
    certificates = [_certificate(challenge, name) for name in ("Aziza Karimova", "Bobur Aliyev")]
    urls = [rendering.verify_url(c.code) for c in certificates]
    assert urls[0] != urls[1]
    assert qr_matrix_for(urls[0]) != qr_matrix_for(urls[1])  # the reading can tell them apart

    pdfs = [rendering.render_certificate(certificate=c, template=template) for c in certificates]

    assert [[qr_decodes_to(pdf, url) for url in urls] for pdf in pdfs] == [
        [True, False],
        [False, True],
    ]
    texts = [pdf_text(pdf)[1].replace("\n", "") for pdf in pdfs]
    assert [[url in text for url in urls] for text in texts] == [[True, False], [False, True]]
