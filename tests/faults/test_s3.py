"""The S3 endpoint goes down while a participant uploads and while certificates are issued."""

import time

import pytest
from django.utils import translation
from django.utils.translation import gettext

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from certificates.selectors import progress
from certificates.services import issuing
from notifications import events
from notifications.models import Notification
from submissions.enums import FileStatus
from submissions.models import SubmissionFile
from tests import factories, images
from tests.certificates.helpers import entry_with_team, make_template, pdf_text
from tests.submissions.builders import PDF, open_challenge, team_entry

from .conftest import BUCKET, wait_for
from .helpers import Browser, audit_count, sha256, web_health

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

UNREACHABLE = "The file store cannot be reached right now. Nothing was lost; please try again."


def test_s3_down_while_a_participant_uploads_and_confirms(stack):
    entry = team_entry(open_challenge(), title="Mehr")
    web = stack.gunicorn(workers=1)
    browser = Browser(web, entry.owner, language="ru")
    first, first_pk = browser.upload(entry, name="deck.pdf")
    assert first.status_code == 200, first.text
    png = images.png()
    slot = browser.slot(entry, kind="image", name="shot.png", body=png, ct="image/png").json()
    assert browser.send_to_s3(slot, png, "image/png").status_code in (200, 201, 204)

    with stack.s3.outage():
        down = browser.confirm(entry, slot["file"])
        health = web_health(web)

    assert down.status_code == 503
    with translation.override("ru"):
        expected = gettext(UNREACHABLE)
    assert down.json()["error"] == expected
    assert expected != UNREACHABLE  # in Russian, as the page the person is on
    assert down.json()["code"] == "storage_unavailable"
    assert (health["status"], health["storage"]["ok"], health["database"]["ok"]) == (
        "fail",
        False,
        True,
    )
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Mehr", "draft")
    statuses = dict(SubmissionFile.objects.values_list("pk", "status"))
    assert statuses == {first_pk: FileStatus.VERIFIED, slot["file"]: FileStatus.PENDING}

    retry = browser.confirm(entry, slot["file"])  # the endpoint is back
    assert retry.status_code == 200, retry.text
    assert web_health(web)["status"] == "ok"
    files = SubmissionFile.objects.filter(submission=entry)
    assert {f.status for f in files} == {FileStatus.VERIFIED}
    expected_objects = {
        files.get(pk=first_pk).key: sha256(PDF),
        files.get(pk=slot["file"]).key: sha256(png),
    }
    prefix = f"submissions/{entry.challenge_id}/{entry.pk}"
    assert stack.s3.objects(BUCKET, prefix) == expected_objects  # nothing lost, no extra


def _certificate_world(names):
    manager = factories.UserFactory(is_staff=True)
    challenge = factories.ChallengeFactory(title="Suv tejash")
    challenge.managers.add(manager)
    make_template()
    entry_with_team(challenge, names)
    return manager, challenge


NAMES = ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев", "Aziz Tursunov", "Dilnoza Karimova"]


def test_s3_down_while_certificates_are_issued(stack):
    manager, challenge = _certificate_world(NAMES)
    stack.worker()
    stack.s3.down()
    try:
        batch = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
        # The tasks find S3 gone and retry later: nothing is issued meanwhile.
        wait_for(
            lambda: (
                Certificate.objects.filter(attempts__gt=0).count() == len(NAMES)
                or all(c.failure_reason for c in Certificate.objects.all())
            ),
            timeout=60,
            what="every certificate to have tried once",
        )
        time.sleep(1.5)
        assert not Certificate.objects.filter(status=CertificateStatus.ISSUED).exists()
        assert not progress(batch)["finished"]
        assert stack.s3.objects(BUCKET, f"certificates/{challenge.pk}/") == {}
    finally:
        stack.s3.up()

    wait_for(lambda: progress(batch)["finished"], timeout=90, what="the batch to finish")
    state = progress(batch)
    assert (state["done"], state["failed"]) == (len(NAMES), 0)
    certificates = list(Certificate.objects.filter(challenge=challenge))
    assert len(certificates) == len(NAMES)  # none twice
    stored = stack.s3.objects(BUCKET, f"certificates/{challenge.pk}/")
    assert set(stored) == {c.pdf_key for c in certificates}  # every issued one has its PDF
    client = stack.s3.client()
    for certificate in certificates:
        assert certificate.status == CertificateStatus.ISSUED
        body = client.get_object(Bucket=BUCKET, Key=certificate.pdf_key)["Body"].read()
        _reader, text = pdf_text(body)
        assert certificate.recipient_name in text
        assert certificate.code in text
    assert audit_count("certificates.certificate.issued") == len(NAMES)
    assert Notification.objects.filter(event=events.CERTIFICATE_ISSUED).count() == len(NAMES)
