"""The partners' report: a PDF (read back with pypdf) and an XLSX workbook of the same
numbers, made by the task in the chosen language, stored in the (moto) bucket, downloaded
through a presigned link by the challenge's staff only, and audited."""

import io

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certificates.models import Certificate
from core import s3
from core.errors import NotAllowed
from core.models import AuditEntry
from reporting.models import ReportJob
from reporting.services import reports
from submissions.models import Profile, StatusChange, Submission, Team
from tests.factories import UserFactory
from tests.reporting.helpers import known_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(s3_bucket):
    found = known_world()
    a = found["a"]
    a.title_ru = "Панель Б: отчёт"
    a.title_en = "Dashboard A: the report"
    a.save(update_fields=["title_ru", "title_en"])
    return found


def _manager(*challenges, language="en"):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Challenge managers"))
    for challenge in challenges:
        challenge.managers.add(user)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def _text(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _object(key):
    return s3.client().get_object(Bucket=s3.bucket_name(), Key=key)["Body"].read()


def _make(challenge, language, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = reports.start(challenge=challenge, language=language, by=by)
    job.refresh_from_db()
    return job


def test_the_task_stores_a_pdf_in_the_chosen_language(world, django_capture_on_commit_callbacks):
    a = world["a"]
    manager = _manager(a)
    job = _make(a, "ru", manager, django_capture_on_commit_callbacks)
    assert (job.status, job.progress) == ("done", 100)
    assert job.finished_at is not None
    text = _text(_object(job.pdf_key))
    assert "Панель Б: отчёт" in text
    assert "Люди по полу" in text  # the figures' titles, in Russian
    assert "Выданные сертификаты" in text
    assert "Dashboard A: the report" not in text
    # The totals, next to their labels (in Russian where the catalogue has them).
    with translation.override("ru"):
        labels = {key: gettext(key) for key in ("People registered", "Teams", "Entries submitted")}
    assert f"{labels['People registered']} 4 " in text
    assert f"{labels['Teams']} {Team.objects.filter(challenge=a).count()} " in text
    submitted = Submission.objects.filter(challenge=a, submitted_at__isnull=False).count()
    assert f"{labels['Entries submitted']} {submitted} " in text
    # Challenge B's entry and person are not in A's report.
    assert "Dashboard B" not in text
    actions = list(
        AuditEntry.objects.filter(object_type="reporting.reportjob", object_id=str(job.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["reporting.report.requested", "reporting.report.made"]


def test_the_same_report_in_english_and_uzbek(world, django_capture_on_commit_callbacks):
    a = world["a"]
    manager = _manager(a)
    english = _text(_object(_make(a, "en", manager, django_capture_on_commit_callbacks).pdf_key))
    assert "Dashboard A: the report" in english
    assert "People by gender" in english
    assert "People registered 4" in english
    assert "Certificates issued 2" in english
    uzbek = _text(_object(_make(a, "uz", manager, django_capture_on_commit_callbacks).pdf_key))
    assert "Dashboard A" in uzbek
    assert "Jins boʻyicha odamlar" in uzbek


def _sheets(xlsx_bytes):
    book = load_workbook(io.BytesIO(xlsx_bytes), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_the_workbook_has_the_same_numbers_as_direct_queries(
    world, django_capture_on_commit_callbacks
):
    a = world["a"]
    job = _make(a, "en", _manager(a), django_capture_on_commit_callbacks)
    sheets = _sheets(_object(job.xlsx_key))
    summary = {row[0]: row[1] for row in sheets["Summary"][1:]}
    assert summary["People registered"] == 4
    assert summary["Teams"] == Team.objects.filter(challenge=a).count()
    assert summary["Entries"] == Submission.objects.filter(challenge=a).count()
    assert summary["Drafts"] == Submission.objects.filter(challenge=a, status="draft").count()
    assert summary["Entries submitted"] == 2
    issued = Certificate.objects.filter(challenge=a, status="issued").count()
    assert summary["Certificates issued"] == issued == 2
    assert summary["Projects incubated"] == 1
    gender = {row[0]: row[1] for row in sheets["People by gender"][1:]}
    assert gender["Female"] == 2
    assert gender["Male"] == 1
    tracks = {row[0]: row[1] for row in sheets["Submitted entries by track"][1:]}
    assert tracks["Health"] == 2
    assert tracks["Agri"] == 0
    # The inclusion figures keep their small cells hidden in the workbook too.
    titled = next(rows for title, rows in sheets.items() if title.startswith("People by disab"))
    disability = {row[0]: row[1] for row in titled[1:]}
    assert disability["Not given"] == "fewer than 5"
    daily = sheets["Entries per day"]
    assert sum(row[1] for row in daily[1:]) == 3


def _win(entry):
    Submission.objects.filter(pk=entry.pk).update(status="winner")
    StatusChange.objects.create(submission=entry, from_status="eligible", to_status="winner")


def test_winners_are_named_only_with_publicity_consent(world, django_capture_on_commit_callbacks):
    a, s1, s3_ = world["a"], world["s1"], world["s3"]
    _win(s1)  # team 1: the lead agreed, the member did not
    _win(s3_)  # the solo owner agreed
    members = [m.user_id for m in s1.team.memberships.filter(role="member")]
    Profile.objects.filter(user_id=members[0]).update(consent_publicity=True)
    Profile.objects.filter(user_id__in=members[1:]).update(consent_publicity=False)
    Profile.objects.filter(user=s3_.owner).update(consent_publicity=True, full_name="Solo Winner")
    s3_.title = "Clean water for Nukus"
    s3_.save(update_fields=["title"])
    named, unnamed = reports.winners(a)
    assert [w.title for w in named] == ["Clean water for Nukus"]
    assert named[0].people == ("Solo Winner",)
    assert unnamed == 1
    text = _text(_object(_make(a, "en", _manager(a), django_capture_on_commit_callbacks).pdf_key))
    assert "Clean water for Nukus" in text
    assert "Solo Winner" in text
    assert s1.title not in text
    assert "1 more winning entry is not named" in text


def test_only_staff_of_the_challenge_reach_its_reports(
    client, world, django_capture_on_commit_callbacks
):
    a, b = world["a"], world["b"]
    owner = _manager(a)
    job = _make(a, "en", owner, django_capture_on_commit_callbacks)
    other = _manager(b)
    client.force_login(other)
    assert client.get(f"/admin/reporting/challenge/{a.pk}/reports/").status_code == 404
    asked = client.post(f"/admin/reporting/challenge/{a.pk}/reports/", {"language": "en"})
    assert asked.status_code == 404
    for path in ("", "progress.json", "report.pdf", "report.xlsx"):
        assert client.get(f"/admin/reporting/reports/{job.pk}/{path}").status_code == 404
    assert ReportJob.objects.count() == 1
    with pytest.raises(NotAllowed):
        reports.start(challenge=a, language="en", by=other)


def test_one_click_then_progress_then_a_presigned_download(
    client, world, django_capture_on_commit_callbacks
):
    a = world["a"]
    manager = _manager(a)
    client.force_login(manager)
    board = client.get(f"/admin/reporting/challenge/{a.pk}/").content.decode()
    assert f'action="/admin/reporting/challenge/{a.pk}/reports/"' in board
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/admin/reporting/challenge/{a.pk}/reports/", {"language": "ru"})
    job = ReportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/reporting/reports/{job.pk}/"
    assert (job.language, job.created_by) == ("ru", manager)
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert f"/admin/reporting/reports/{job.pk}/report.pdf" in page.content.decode()
    assert client.get(f"/admin/reporting/reports/{job.pk}/progress.json").json() == {
        "percent": 100,
        "status": "Ready",
        "finished": True,
        "failed": 0,
        "done": 1,
    }
    download = client.get(f"/admin/reporting/reports/{job.pk}/report.pdf")
    assert download.status_code == 302
    assert job.pdf_key in download["Location"]
    assert "X-Amz-Signature" in download["Location"] or "Signature" in download["Location"]
    assert AuditEntry.objects.filter(
        action="reporting.report.downloaded", object_id=str(job.pk), actor=manager
    ).exists()
    listing = client.get(f"/admin/reporting/challenge/{a.pk}/reports/")
    assert f"/admin/reporting/reports/{job.pk}/report.xlsx" in listing.content.decode()


def test_a_bad_language_is_refused(client, world):
    a = world["a"]
    client.force_login(_manager(a))
    answer = client.post(f"/admin/reporting/challenge/{a.pk}/reports/", {"language": "de"})
    assert answer.status_code == 400
    assert not ReportJob.objects.exists()


def test_a_report_not_ready_is_not_downloadable_and_a_failure_is_kept(client, world, monkeypatch):
    a = world["a"]
    manager = _manager(a)
    job = reports.start(challenge=a, language="en", by=manager)  # on_commit never runs here
    client.force_login(manager)
    assert client.get(f"/admin/reporting/reports/{job.pk}/report.pdf").status_code == 404
    progress = client.get(f"/admin/reporting/reports/{job.pk}/progress.json").json()
    assert (progress["percent"], progress["finished"]) == (0, False)

    from core.uploads import StorageUnavailable
    from reporting import tasks

    def unreachable(**kwargs):
        raise StorageUnavailable("down")

    monkeypatch.setattr(reports.uploads, "put_bytes", unreachable)
    assert tasks.build_report(job.pk) is False
    job.refresh_from_db()
    assert job.status == "failed"
    assert "down" in job.failure_reason
    page = client.get(f"/admin/reporting/reports/{job.pk}/").content.decode()
    assert "The report could not be made." in page
