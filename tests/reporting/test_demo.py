"""The demo fills the dashboard: every figure has numbers, the daily chart reads like an
intake (started before submitted, up to the deadline)."""

import pytest

from certificates.models import Certificate
from challenges.models import Challenge
from reporting import aggregates


@pytest.fixture
def demo(shared_demo):
    return list(Challenge.objects.all())


def test_every_figure_has_numbers_across_the_demo(demo):
    board = aggregates.dashboard(aggregates.scope_for(demo))
    assert board.summary.registrations > 0
    assert board.summary.submitted > 0
    assert board.summary.drafts > 0
    for slug, figure in board.breakdowns.items():
        if slug == "certificates":  # issued when the demo renders PDFs (a bucket is there)
            assert figure.total == Certificate.objects.filter(status="issued").count()
            continue
        assert figure.total > 0, slug
    # Every region has people, Karakalpakstan included.
    assert all(bar.count > 0 for bar in board.breakdowns["region"].bars)
    assert len(board.timeline.days) > 1


def test_the_judged_challenge_fills_its_own_dashboard(demo):
    covid = next(c for c in demo if c.slug == "covid-19-challenge-2020")
    board = aggregates.dashboard(aggregates.scope_for([covid]))
    timeline = board.timeline
    assert timeline.days[-1].date == timeline.deadline_day
    assert len(timeline.days) <= aggregates.TIMELINE_DAYS
    assert sum(d.started for d in timeline.days) == board.summary.entries
    assert timeline.days[-1].submitted_total == board.summary.submitted
    started_days = [d for d in timeline.days if d.started]
    assert len(started_days) > 5  # spread over the phase, not all on one day
    for slug in ("track", "screening", "reviews", "incubation"):
        assert board.breakdowns[slug].total > 0, slug


def test_the_demo_challenge_makes_a_partners_report(demo, django_capture_on_commit_callbacks):
    """One click on the demo's judged challenge: the task makes the PDF and the workbook; the
    winners named are exactly those whose people all agreed to publicity."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from core import s3
    from reporting.services import reports
    from tests.factories import SuperuserFactory

    covid = next(c for c in demo if c.slug == "covid-19-challenge-2020")
    with django_capture_on_commit_callbacks(execute=True):
        job = reports.start(challenge=covid, language="uz", by=SuperuserFactory())
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100), job.failure_reason

    def stored(key):
        return s3.client().get_object(Bucket=s3.bucket_name(), Key=key)["Body"].read()

    reader = PdfReader(io.BytesIO(stored(job.pdf_key)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    board = aggregates.dashboard(aggregates.scope_for([covid]))
    assert " ".join(covid.title.split()) in text
    assert f" {board.summary.registrations} " in text
    named, _unnamed = reports.winners(covid)
    for winner in named:
        assert " ".join(winner.title.split())[:30] in text
    book = load_workbook(io.BytesIO(stored(job.xlsx_key)), read_only=True)
    summary = {r[0]: r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert board.summary.registrations in summary.values()
    assert board.summary.submitted in summary.values()
    assert len(book.worksheets) == 2 + len(board.breakdowns) + 1  # summary, daily, figures, winners
