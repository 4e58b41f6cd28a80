"""A large file goes up in parts from headless Chromium straight to S3 (moto over HTTP).

The multipart threshold is lowered for the test (the live server reads the same settings),
so that a 12 MB file takes the path a 200 MB demo video takes in production.
"""

import hashlib

import pytest

from core import s3
from submissions.enums import FileStatus
from submissions.models import SubmissionFile
from tests.submissions.builders import open_challenge, team_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


def _log_in(page, live_server, user):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _record_progress(page):
    """Keep every value the progress bar shows in sessionStorage (the page reloads after)."""
    page.evaluate(
        """() => {
        const percent = document.querySelector('.upload-percent');
        new MutationObserver(() => {
            const seen = JSON.parse(sessionStorage.getItem('progress') || '[]');
            seen.push(document.querySelector('#upload-progress').value);
            sessionStorage.setItem('progress', JSON.stringify(seen));
        }).observe(percent, {childList: true, characterData: true, subtree: true});
    }"""
    )


def test_a_large_file_uploads_in_parts_with_progress_and_is_verified(
    live_server, page, tmp_path, s3_bucket, settings
):
    settings.UPLOAD_MULTIPART_THRESHOLD = 5 * MB
    settings.UPLOAD_PART_SIZE = 5 * MB
    submission = team_entry(open_challenge(max_size_mb=20), title="Mehr")
    body = b"%PDF-1.7\n" + bytes(range(256)) * (12 * MB // 256) + b"\ntrailer<<>>\n%%EOF\n"
    path = tmp_path / "Mehr — demo.pdf"
    path.write_bytes(body)
    parts_asked = []
    page.on(
        "request",
        lambda request: parts_asked.append(request.url) if "/part/" in request.url else None,
    )
    _log_in(page, live_server, submission.owner)

    page.goto(f"{live_server.url}/en/me/entry/{submission.pk}/")
    _record_progress(page)
    page.locator("input[type=file]").set_input_files(str(path))
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Upload the file").click()

    seen = page.evaluate("JSON.parse(sessionStorage.getItem('progress') || '[]')")
    assert seen[-1] == 100
    assert any(0 < value < 100 for value in seen), seen
    assert seen == sorted(seen)
    assert len(parts_asked) == 3
    assert page.get_by_role("link", name="Mehr — demo.pdf", exact=True).is_visible()
    file = SubmissionFile.objects.get()
    assert (file.status, file.size, file.multipart_upload_id) == (
        FileStatus.VERIFIED,
        len(body),
        "",
    )
    assert file.sha256 == hashlib.sha256(body).hexdigest()
    stored = s3.client().get_object(Bucket=s3_bucket, Key=file.key)
    assert stored["ContentType"] == "application/pdf"
    assert hashlib.sha256(stored["Body"].read()).hexdigest() == file.sha256
