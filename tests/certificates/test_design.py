"""The default certificate design with the demo's art: logos, the place in large type for
winners, the project, signatories with their signatures, the QR code still readable."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.images import get_image_model

from certificates.enums import place_label
from certificates.models import Certificate, CertificateTemplate
from certificates.services import rendering
from cms.demo import certificates as demo
from tests.certificates.helpers import pdf_text, qr_decodes_to

pytestmark = pytest.mark.django_db


def _certificate(challenge, *, kind, language, place=None):
    return Certificate(
        kind=kind,
        challenge=challenge,
        recipient=challenge.managers.first(),
        recipient_name="Oʻgʻiloy Gʻulomova",
        language=language,
        team_name="Shifo",
        project_title="Telemedicine for villages",
        place=place,
        issued_at=timezone.now(),
    )


def _render(certificate):
    template = CertificateTemplate.objects.get(kind=certificate.kind, language=certificate.language)
    pdf = rendering.render_certificate(certificate=certificate, template=template)
    folder = os.environ.get("TANLOV_ARTIFACTS")  # to look at the design: set it to a folder
    if folder:
        Path(folder, f"{certificate.kind}-{certificate.language}.pdf").write_bytes(pdf)
    return pdf


def _image_count(reader):
    return sum(len(page.images) for page in reader.pages)


def test_winner_certificate_shows_place_project_signatories_and_embeds_the_art(
    challenge, s3_bucket
):
    demo.ensure_templates()
    certificate = _certificate(challenge, kind="winner", language="en", place=1)

    pdf = _render(certificate)

    reader, text = pdf_text(pdf)
    assert len(reader.pages) == 1
    for words in (
        "1st place",
        "Telemedicine for villages",
        "Oʻgʻiloy Gʻulomova",
        "Healthy future",
        "Dilshod Karimov",
        "Programme manager",
        "Malika Yusupova",
        "Chair of the jury",
        certificate.code,
    ):
        assert words in text, words
    assert _image_count(reader) == 5  # three logos and two signatures
    assert qr_decodes_to(pdf, rendering.verify_url(certificate.code))
    assert len(pdf) < 150_000  # small PNGs and subset fonts: a light file to e-mail


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_the_design_speaks_the_certificates_language(challenge, s3_bucket, language):
    demo.ensure_templates()
    certificate = _certificate(challenge, kind="winner", language=language, place=2)

    _reader, text = pdf_text(_render(certificate))

    positions = dict(demo.SIGNATORIES)["Dilshod Karimov"]
    assert positions[language] in text
    assert challenge.title_ru in text if language == "ru" else challenge.title in text
    assert "Telemedicine for villages" in text


def test_participation_certificate_names_the_project_but_no_place(challenge, s3_bucket):
    demo.ensure_templates()
    certificate = _certificate(challenge, kind="participation", language="en", place=3)

    reader, text = pdf_text(_render(certificate))

    assert "Telemedicine for villages" in text
    assert "3rd place" not in text
    assert _image_count(reader) == 5


def test_a_template_without_art_still_renders_the_designed_page(challenge):
    template = CertificateTemplate.objects.create(
        name="Plain", kind="winner", language="en", title="Winner", body="{challenge}"
    )
    certificate = _certificate(challenge, kind="winner", language="en", place=4)

    pdf = rendering.render_certificate(certificate=certificate, template=template)

    reader, text = pdf_text(pdf)
    assert "Place 4" in text
    assert _image_count(reader) == 0
    assert qr_decodes_to(pdf, rendering.verify_url(certificate.code))


def test_place_in_words():
    assert [place_label(p) for p in (None, 1, 2, 3, 7)] == [
        "",
        "1st place",
        "2nd place",
        "3rd place",
        "Place 7",
    ]


def test_demo_art_is_drawn_once_and_attached_to_every_template(s3_bucket):
    demo.ensure_templates()
    images = get_image_model().objects.count()

    demo.ensure_templates()

    assert get_image_model().objects.count() == images == 5
    for template in CertificateTemplate.objects.all():
        assert template.logos.count() == 3
        assert [s.signature_id is not None for s in template.signatories.all()] == [True, True]
    assert {len(t.logos.first().alt) > 0 for t in CertificateTemplate.objects.all()} == {True}


def test_images_are_prepared_once_per_process_and_the_cache_stays_bounded(
    challenge, s3_bucket, monkeypatch
):
    from core import pdf

    demo.ensure_templates()
    pdf._images.clear()
    certificate = _certificate(challenge, kind="winner", language="en", place=1)
    _render(certificate)
    kept = len(pdf._images)

    _render(certificate)

    assert kept >= 5  # the three logos and two signatures
    assert len(pdf._images) == kept  # the second certificate reuses them
    monkeypatch.setattr(pdf, "IMAGE_CACHE_LIMIT", kept - 1)
    reader, _text = pdf_text(_render(certificate))
    assert _image_count(reader) == 5
    assert len(pdf._images) == kept  # emptied, then filled again by this one document
