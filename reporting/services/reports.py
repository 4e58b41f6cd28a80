"""The partners' report of one challenge: a PDF and an XLSX workbook of the same numbers.

Staff ask for it in one language (:func:`start`); a Celery task (``reporting.build_report``)
makes it (:func:`build`), writing its progress on the :class:`~reporting.models.ReportJob`
as it goes, and stores both files in the private bucket; staff download them through a
short presigned link (:func:`download_url`). Every step is audited.

What the report says:

* the challenge's title, organiser and the day it was made;
* the headline numbers and every figure of the dashboard (:func:`reporting.aggregates
  .dashboard` for the challenge, unfiltered), each with its chart and its table — the
  inclusion figures (district, self-declared disability) with small cells shown as
  "fewer than 5", as on the dashboard;
* the winners and their projects, **only where everyone named gave publicity consent**
  (``Profile.consent_publicity``: the entry's owner, or every member of its team); the
  other winning entries are counted, not named.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.services.recipients import display_name, winning_entries
from core import exports, pdf, uploads
from core.access import require
from core.audit import record
from core.errors import Refused
from judging.selectors import winner_places
from submissions.enums import MemberRole

from .. import aggregates, charts
from ..enums import ReportStatus
from ..models import ReportJob

logger = logging.getLogger(__name__)

STYLESHEET = "reporting/pdf/report.css"
HTML_TEMPLATE = "reporting/pdf/report.html"
PDF_TYPE = "application/pdf"
XLSX_TYPE = exports.CONTENT_TYPES[exports.XLSX]
LANGUAGES = ("uz", "ru", "en")


@dataclass(frozen=True)
class Winner:
    place: int | None
    title: str
    team: str
    track: str
    people: tuple


@dataclass(frozen=True)
class Contents:
    """Everything a report shows, in the language active when it was gathered."""

    title: str
    organiser: str
    made_at: object
    board: aggregates.Dashboard
    winners: tuple
    unnamed_winners: int


# --- asking for a report -----------------------------------------------------------------
def start(*, challenge, language, by):
    """Queue a report of ``challenge`` in ``language`` (uz, ru or en) for ``by``, who must
    manage the challenge; the task starts once this transaction commits."""
    require(by, "challenges.manage_challenge", challenge)
    if language not in LANGUAGES:
        raise Refused(_("Choose Uzbek, Russian or English."))
    with transaction.atomic():
        job = ReportJob.objects.create(challenge=challenge, language=language, created_by=by)
        record(action="reporting.report.requested", obj=job, by=by, language=language)
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id):
    from ..tasks import build_report  # the task module imports this one

    build_report.delay(job_id)


def progress(job):
    """What the progress page shows (and its JSON polls)."""
    return {
        "percent": job.progress,
        "status": job.get_status_display(),
        "finished": job.finished,
        "failed": int(job.status == ReportStatus.FAILED),
        "done": int(job.status == ReportStatus.DONE),
    }


def download_url(*, job, fmt, by):
    """A short presigned link to the job's PDF or XLSX (audited), or ``None`` before the
    report is ready."""
    require(by, "reporting.manage_report", job)
    key = {"pdf": job.pdf_key, "xlsx": job.xlsx_key}.get(fmt)
    if job.status != ReportStatus.DONE or not key:
        return None
    record(action="reporting.report.downloaded", obj=job, by=by, format=fmt)
    return uploads.presigned_get(
        key=key, filename=job.filename(fmt), content_type=PDF_TYPE if fmt == "pdf" else XLSX_TYPE
    )


# --- what the report says ----------------------------------------------------------------
def winners(challenge):
    """``(named, unnamed)``: the winning entries whose people all gave publicity consent
    (as :class:`Winner`, by place), and how many others won."""
    entries = list(
        winning_entries(challenge)
        .select_related("team", "track", "owner__profile")
        .prefetch_related("team__memberships__user__profile")
        .order_by("pk")
    )
    places = winner_places(challenge, [e.pk for e in entries])
    named, unnamed = [], 0
    for entry in entries:
        if entry.team is not None:
            users = [m.user for m in entry.team.memberships.all() if m.role == MemberRole.MEMBER]
        else:
            users = [entry.owner]
        consented = users and all(
            getattr(getattr(u, "profile", None), "consent_publicity", False) for u in users
        )
        if not consented:
            unnamed += 1
            continue
        named.append(
            Winner(
                place=places.get(entry.pk),
                title=entry.title,
                team=entry.team.name if entry.team else "",
                track=str(entry.track) if entry.track else "",
                people=tuple(display_name(u) for u in users),
            )
        )
    named.sort(key=lambda w: (w.place is None, w.place or 0, w.title))
    return tuple(named), unnamed


def contents(challenge):
    """The report's contents in the active language."""
    board = aggregates.dashboard(aggregates.scope_for([challenge]))
    named, unnamed = winners(challenge)
    return Contents(
        title=challenge.display_title,
        organiser=challenge.organiser,
        made_at=timezone.localtime(timezone.now(), challenge.tz),
        board=board,
        winners=named,
        unnamed_winners=unnamed,
    )


def headline(summary):
    """The headline numbers as ``[label, count]`` rows (PDF and workbook alike)."""
    return [
        [_("People registered"), summary.registrations],
        [_("Teams"), summary.teams],
        [_("Entries"), summary.entries],
        [_("Drafts"), summary.drafts],
        [_("Entries submitted"), summary.submitted],
        [_("Jurors"), summary.jurors],
        [_("Reviews done"), summary.reviews_done],
        [_("Reviews assigned"), summary.reviews_assigned],
        [_("Certificates issued"), summary.certificates],
        [_("Projects incubated"), summary.incubated],
    ]


def render_pdf(found):
    board = found.board
    figures = [{"figure": f, "chart": charts.bar_chart(f)} for f in board.breakdowns.values()]
    html = render_to_string(
        HTML_TEMPLATE,
        {
            "report": found,
            "headline": headline(board.summary),
            "timeline": charts.line_chart(board.timeline),
            "figures": figures,
            "small_cell": aggregates.SMALL_CELL,
            "language": translation.get_language(),
        },
    )
    return pdf.write_pdf(html, stylesheet_path=STYLESHEET)


def render_workbook(found):
    board = found.board
    sheets = [(_("Summary"), [found.title, _("Count")], headline(board.summary))]
    sheets.append((board.timeline.title, *aggregates.table(board.timeline)))
    for figure in board.breakdowns.values():
        sheets.append((figure.title, *aggregates.table(figure)))
    sheets.append(
        (
            _("Winners"),
            [_("Place"), _("Project"), _("Team"), _("Track"), _("People")],
            [[w.place, w.title, w.team, w.track, ", ".join(w.people)] for w in found.winners],
        )
    )
    return exports.workbook_bytes(sheets)


# --- making it (the task) ----------------------------------------------------------------
def _step(job, percent, status=ReportStatus.RUNNING):
    job.progress, job.status = percent, status
    ReportJob.objects.filter(pk=job.pk).update(progress=percent, status=status)


def build(*, job_id):
    """Make the report of a queued job and store it; returns True when this call made it.

    Idempotent: a job already done is left alone (a repeated task stores nothing). Raises
    ``uploads.StorageUnavailable`` when S3 cannot be reached (the task marks it failed).
    """
    job = ReportJob.objects.select_related("challenge").filter(pk=job_id).first()
    if job is None or job.status == ReportStatus.DONE:
        return False
    _step(job, 5)
    with translation.override(job.language):
        found = contents(job.challenge)
        _step(job, 40)
        pdf_bytes = render_pdf(found)
        _step(job, 70)
        xlsx_bytes = render_workbook(found)
        _step(job, 85)
    prefix = f"reports/{job.challenge_id}"
    pdf_key = uploads.new_key(prefix) + ".pdf"
    xlsx_key = uploads.new_key(prefix) + ".xlsx"
    uploads.put_bytes(key=pdf_key, body=pdf_bytes, content_type=PDF_TYPE)
    uploads.put_bytes(key=xlsx_key, body=xlsx_bytes, content_type=XLSX_TYPE)
    with transaction.atomic():
        locked = ReportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ReportStatus.DONE:
            return False
        locked.status = ReportStatus.DONE
        locked.progress = 100
        locked.pdf_key, locked.xlsx_key = pdf_key, xlsx_key
        locked.failure_reason = ""
        locked.finished_at = timezone.now()
        locked.save()
        summary = found.board.summary
        record(
            action="reporting.report.made",
            obj=locked,
            by=None,
            registrations=summary.registrations,
            submitted=summary.submitted,
        )
    return True


def mark_failed(*, job_id, reason):
    with transaction.atomic():
        updated = (
            ReportJob.objects.filter(pk=job_id)
            .exclude(status=ReportStatus.DONE)
            .update(status=ReportStatus.FAILED, failure_reason=reason, finished_at=timezone.now())
        )
        if updated:
            job = ReportJob.objects.get(pk=job_id)
            record(action="reporting.report.failed", obj=job, by=None, reason=reason)
