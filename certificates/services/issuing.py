"""Issuing certificates: queue in bulk, render and store one, fail, retry, revoke, reissue."""

import logging
from datetime import timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from challenges.models import Challenge
from challenges.services.phases import submission_deadline
from core import s3
from core.access import require
from core.audit import record
from core.errors import Refused
from core.i18n import every_language
from core.uploads import StorageUnavailable
from judging.selectors import published_results
from notifications import events
from notifications.services import notify

from .. import placeholders
from ..enums import RULE_KIND, CertificateStatus, IssueRule
from ..models import Certificate, CertificateRevision, CertificateTemplate, IssuingBatch
from ..tasks import issue_certificate
from .recipients import recipients_for
from .rendering import render_certificate, verify_url
from .timing import local_time

logger = logging.getLogger(__name__)


class IssuingError(Refused):
    """Issuing cannot start; the message is a translated sentence for staff."""

    default_code = "issuing_refused"


#: ``IssuingError.code`` when no template of the kind exists at all.
NO_TEMPLATE = "no_template"
#: ``IssuingError.code`` when the challenge's phase does not allow the rule yet.
TOO_EARLY = "phase"

#: Rules whose certificates say someone took part: only once nobody can still enter.
AFTER_DEADLINE = {IssueRule.PARTICIPANTS, IssueRule.FINALISTS, IssueRule.MENTORS}
#: Rules whose certificates print a result: only once the results are published.
AFTER_RESULTS = {IssueRule.WINNERS}


# S3 could not store a PDF: core.uploads.StorageUnavailable; the task retries.


def templates_by_language(kind):
    """The templates of ``kind`` keyed by language; raises IssuingError when there is none
    or when one has text that cannot be filled in."""
    found = {}
    for template in CertificateTemplate.objects.filter(kind=kind).order_by("-updated_at", "-pk"):
        found.setdefault(template.language, template)
    if not found:
        # Who can create one depends on the reader: the page adds a link or whom to ask.
        raise IssuingError(
            _("There is no certificate template for “%(kind)s” yet.") % {"kind": kind.label},
            code=NO_TEMPLATE,
        )
    for template in found.values():
        try:
            placeholders.check(template.title)
            placeholders.check(template.body)
        except placeholders.PlaceholderError as exc:
            raise IssuingError(
                _("The template “%(name)s” cannot be used: %(error)s")
                % {"name": template.name, "error": exc}
            ) from exc
    return found


def _check_places(templates, recipients):
    """Raise IssuingError when a template prints {place} and some winner has none yet."""
    uses_place = any(
        "place" in {*placeholders.fields_in(t.title), *placeholders.fields_in(t.body)}
        for t in templates.values()
    )
    missing = [p.name for p in recipients if p.place is None]
    if uses_place and missing:
        raise IssuingError(
            _(
                "The template prints the winner's place, but %(count)d recipient(s) have none "
                "yet (%(names)s). Publish the round's results first: places come from the "
                "published ranking."
            )
            % {"count": len(missing), "names": ", ".join(missing[:5])}
        )


def choose_template(templates, language):
    """The recipient's language's template; else the site's default language's; else any."""
    return (
        templates.get(language)
        or templates.get(settings.LANGUAGE_CODE)
        or next(iter(templates.values()))
    )


def language_name(code):
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_plan(templates, recipients):
    """Per recipient language: how many of ``recipients`` read it, the template they get,
    and — when no template exists in their language — a warning naming the fallback.
    Pure: ``templates`` is ``templates_by_language``'s answer."""
    counts = {}
    for person in recipients:
        counts[person.language] = counts.get(person.language, 0) + 1
    rows = []
    for language, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        template = choose_template(templates, language)
        warning = ""
        if template.language != language:
            warning = ngettext(
                "%(count)d recipient reads %(language)s; no %(language)s template exists — "
                "they will receive the %(fallback)s one.",
                "%(count)d recipients read %(language)s; no %(language)s template exists — "
                "they will receive the %(fallback)s one.",
                count,
            ) % {
                "count": count,
                "language": language_name(language),
                "fallback": language_name(template.language),
            }
        rows.append(
            {
                "language": language,
                "name": language_name(language),
                "count": count,
                "template": template,
                "warning": warning,
            }
        )
    return rows


def phase_problem(*, rule, deadline, results_published, now, deadline_label=""):
    """Why ``rule`` must wait in the challenge's current phase, or ``""`` when it may run.

    Participation (and finalist and mentor) certificates wait for the submission deadline
    (grace minutes included: ``deadline`` is when entries stop changing), so nobody who is
    still entering is certified — a challenge without a submission phase has nothing to
    wait for. Winner certificates wait until a round's results are published: places and
    winners are final only then. Pure: the caller reads the clock and the challenge.
    """
    rule = IssueRule(rule)
    if rule in AFTER_DEADLINE and deadline is not None and now < deadline:
        return _(
            "Entries can still be submitted until %(deadline)s: these certificates can be "
            "issued after the submission deadline."
        ) % {"deadline": deadline_label or deadline.isoformat()}
    if rule in AFTER_RESULTS and not results_published:
        return _(
            "The results are not published yet: winner certificates can be issued once a "
            "round's results are published."
        )
    return ""


def phase_refusal(*, challenge, rule, now=None):
    """``phase_problem`` for ``challenge`` now (at most two queries)."""
    deadline = submission_deadline(list(challenge.phases.all()))
    if deadline is not None:
        deadline += timedelta(minutes=challenge.grace_minutes)
    rule = IssueRule(rule)
    return phase_problem(
        rule=rule,
        deadline=deadline,
        results_published=rule in AFTER_RESULTS and published_results(challenge) is not None,
        now=now or timezone.now(),
        deadline_label=local_time(deadline, challenge) if deadline else "",
    )


def issue_certificates(*, challenge, rule, by, override_reason=""):
    """Queue a certificate for everyone ``rule`` selects in ``challenge``.

    People who already hold this kind of certificate for the challenge are skipped, so
    running it again issues nothing new. Each recipient gets the template in their own
    language when one exists (else see ``choose_template``). The challenge's phase must
    allow the rule (``phase_problem``); staff who manage the challenge may issue anyway by
    giving ``override_reason``. Side effects: an ``IssuingBatch``, one pending
    ``Certificate`` per new recipient, an audit entry ``certificates.batch.started`` (and
    ``certificates.batch.phase_overridden`` with the reason when the phase was
    overridden), and (after commit) one ``certificates.issue`` task per certificate.
    Raises IssuingError (nothing created) when no usable template exists or the phase
    does not allow it; PermissionDenied for staff who do not manage the challenge.
    """
    rule = IssueRule(rule)
    kind = RULE_KIND[rule]
    require(by, "challenges.manage_challenge", challenge, platform=True)
    override_reason = (override_reason or "").strip()
    too_early = phase_refusal(challenge=challenge, rule=rule)
    if too_early and not override_reason:
        raise IssuingError(too_early, code=TOO_EARLY)
    templates = templates_by_language(kind)
    with transaction.atomic():
        # Serialise concurrent runs for one challenge (a double click, two staff members).
        Challenge.objects.select_for_update().filter(pk=challenge.pk).first()
        recipients = recipients_for(
            challenge=challenge, rule=rule, default_language=settings.LANGUAGE_CODE
        )
        _check_places(templates, recipients)
        holders = set(
            Certificate.objects.filter(challenge=challenge, kind=kind).values_list(
                "recipient_id", flat=True
            )
        )
        batch = IssuingBatch.objects.create(
            challenge=challenge, rule=rule, created_by=by if by and by.is_authenticated else None
        )
        new = []
        for person in recipients:
            if person.user.pk in holders:
                continue
            template = choose_template(templates, person.language)
            new.append(
                Certificate(
                    kind=kind,
                    challenge=challenge,
                    recipient=person.user,
                    template=template,
                    batch=batch,
                    recipient_name=person.name,
                    language=template.language,
                    team_name=person.team_name,
                    project_title=person.project_title,
                    track_name=person.track_name,
                    place=person.place,
                )
            )
        Certificate.objects.bulk_create(new)
        ids = list(batch.certificates.values_list("pk", flat=True))
        batch.queued = len(ids)
        batch.already_issued = len(recipients) - len(ids)
        batch.save(update_fields=["queued", "already_issued"])
        if too_early:
            record(
                action="certificates.batch.phase_overridden",
                obj=batch,
                by=by,
                rule=str(rule),
                problem=str(too_early),
                reason=override_reason,
            )
        record(
            action="certificates.batch.started",
            obj=batch,
            by=by,
            rule=str(rule),
            queued=batch.queued,
            already_issued=batch.already_issued,
            phase_overridden=bool(too_early),
        )
        transaction.on_commit(lambda: _queue(ids))
    return batch


def issuing_plan(*, challenge, by):
    """For each rule: how many people it selects in ``challenge``, how many already hold
    that kind of certificate, whether a usable template exists and whether the phase
    allows it — read only, so staff can see what a batch would do before starting it. A
    fixed number of queries per rule.
    """
    require(by, "challenges.manage_challenge", challenge, platform=True)
    held = {}
    for kind, recipient in Certificate.objects.filter(challenge=challenge).values_list(
        "kind", "recipient_id"
    ):
        held.setdefault(kind, set()).add(recipient)
    return [_plan_row(challenge, rule, held.get(RULE_KIND[rule], set())) for rule in IssueRule]


def _plan_row(challenge, rule, holders):
    kind = RULE_KIND[rule]
    people = recipients_for(challenge=challenge, rule=rule, default_language=settings.LANGUAGE_CODE)
    new = [p for p in people if p.user.pk not in holders]
    problem = ""
    problem_code = ""
    languages = []
    try:
        templates = templates_by_language(kind)
        languages = language_plan(templates, new)
        _check_places(templates, new)
    except IssuingError as exc:
        problem, problem_code = str(exc), exc.code
    return {
        "rule": rule,
        "selected": len(people),
        "already": len(people) - len(new),
        "new": len(new),
        "problem": problem,
        "missing_template": problem_code == NO_TEMPLATE,
        "phase": phase_refusal(challenge=challenge, rule=rule),
        "languages": languages,
        "warnings": [row["warning"] for row in languages if row["warning"]],
    }


def issuing_summary(*, challenge, rule, by):
    """What issuing ``rule`` in ``challenge`` would do, for the confirmation step: the
    counts, each language's template and fallback warnings, a template problem and the
    phase's objection (``""`` when none). Read only."""
    require(by, "challenges.manage_challenge", challenge, platform=True)
    rule = IssueRule(rule)
    holders = set(
        Certificate.objects.filter(challenge=challenge, kind=RULE_KIND[rule]).values_list(
            "recipient_id", flat=True
        )
    )
    return _plan_row(challenge, rule, holders)


def _queue(ids):

    for pk in ids:
        issue_certificate.delay(pk)


def pdf_key(certificate):
    return f"certificates/{certificate.challenge_id}/{certificate.code}-v{certificate.version}.pdf"


def _s3_client():
    """A quick-failing S3 client (the task retries); ``core.s3`` shares it per process."""
    return s3.client(timeout=10, attempts=2)


def _store(key, pdf):
    try:
        _s3_client().put_object(
            Bucket=s3.bucket_name(), Key=key, Body=pdf, ContentType="application/pdf"
        )
    except (BotoCoreError, ClientError) as exc:
        raise StorageUnavailable(str(exc)) from exc


def render_and_store(*, certificate_id):
    """Render a pending certificate, store its PDF in S3, then mark it issued.

    Idempotent: a certificate that is no longer pending is left alone, and the object key
    depends only on code and version, so a repeated run overwrites the same object. The
    row says "issued" only after the PDF is stored. Side effects: the S3 object, an audit
    entry ``certificates.certificate.issued`` and a ``certificates.issued`` notification
    to the recipient. Raises StorageUnavailable when S3 cannot be reached.
    Returns True when this call issued the certificate.
    """
    certificate = (
        Certificate.objects.select_related("challenge", "template", "recipient")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.status != CertificateStatus.PENDING:
        return False
    if certificate.template is None:
        mark_failed(certificate_id=certificate_id, reason=_("Its template was deleted."))
        return False
    pdf = render_certificate(certificate=certificate, template=certificate.template, cached=True)
    key = pdf_key(certificate)
    _store(key, pdf)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.status != CertificateStatus.PENDING or locked.version != certificate.version:
            return False
        locked.status = CertificateStatus.ISSUED
        locked.pdf_key = key
        locked.failure_reason = ""
        locked.attempts += 1
        locked.issued_at = locked.issued_at or timezone.now()
        locked.save(update_fields=["status", "pdf_key", "failure_reason", "attempts", "issued_at"])
        record(
            action="certificates.certificate.issued", obj=locked, by=None, version=locked.version
        )
        notify(
            event=events.CERTIFICATE_ISSUED,
            recipients=[locked.recipient],
            context={
                "code": locked.code,
                "kind": every_language(locked.get_kind_display),
                "challenge": every_language(lambda: certificate.challenge.display_title),
                "verify_url": certificate_verify_url(locked.code),
            },
            obj=locked,
        )
    return True


def certificate_verify_url(code):

    return verify_url(code)


def note_attempt(*, certificate_id, reason):
    """Record a failed attempt that will be retried; the certificate stays pending."""
    Certificate.objects.filter(pk=certificate_id, status=CertificateStatus.PENDING).update(
        failure_reason=reason
    )


@transaction.atomic
def mark_failed(*, certificate_id, reason):
    """Give up on a pending certificate; staff see ``reason`` and may retry it."""
    updated = Certificate.objects.filter(
        pk=certificate_id, status=CertificateStatus.PENDING
    ).update(status=CertificateStatus.FAILED, failure_reason=reason[:2000])
    if updated:
        certificate = Certificate.objects.get(pk=certificate_id)
        record(action="certificates.certificate.failed", obj=certificate, reason=reason[:500])


def retry_failed(*, batch, by):
    """Queue the batch's failed certificates again. Side effects: audit entry
    ``certificates.batch.retried``; tasks after commit. Returns how many were queued."""
    require(by, "challenges.manage_challenge", batch.challenge, platform=True)
    with transaction.atomic():
        ids = list(
            batch.certificates.select_for_update()
            .filter(status=CertificateStatus.FAILED)
            .values_list("pk", flat=True)
        )
        Certificate.objects.filter(pk__in=ids).update(status=CertificateStatus.PENDING)
        record(action="certificates.batch.retried", obj=batch, by=by, count=len(ids))
        transaction.on_commit(lambda: _queue(ids))
    return len(ids)


def revoke(*, certificate, reason, by):
    """Revoke ``certificate``; the verify page and badge assertion then say so.

    Side effects: audit entry ``certificates.certificate.revoked``.
    """
    require(by, "challenges.manage_challenge", certificate.challenge, platform=True)
    reason = (reason or "").strip()
    if not reason:
        raise IssuingError(_("Give a reason for the revocation."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.REVOKED:
            raise IssuingError(_("This certificate is already revoked."))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_reason"])
        record(action="certificates.certificate.revoked", obj=locked, by=by, reason=reason)
    return locked


def reissue(*, certificate, by, recipient_name=None, reason=""):
    """Render ``certificate`` again (after a name correction), keeping its code.

    The former version is kept as a ``CertificateRevision``; the certificate goes back to
    pending with the next version number and is rendered by a task. Side effects: audit
    entry ``certificates.certificate.reissued``; a task after commit.
    """
    require(by, "challenges.manage_challenge", certificate.challenge, platform=True)
    name = (recipient_name or "").strip() or None
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.PENDING:
            raise IssuingError(_("This certificate is still being issued."))
        CertificateRevision.objects.create(
            certificate=locked,
            version=locked.version,
            recipient_name=locked.recipient_name,
            pdf_key=locked.pdf_key,
            issued_at=locked.issued_at,
            reason=reason,
            replaced_by=by if by and by.is_authenticated else None,
        )
        old_name = locked.recipient_name
        locked.recipient_name = name or locked.recipient_name
        locked.version += 1
        locked.status = CertificateStatus.PENDING
        locked.revoked_at = None
        locked.revoked_reason = ""
        locked.failure_reason = ""
        locked.save(
            update_fields=[
                "recipient_name",
                "version",
                "status",
                "revoked_at",
                "revoked_reason",
                "failure_reason",
            ]
        )
        record(
            action="certificates.certificate.reissued",
            obj=locked,
            by=by,
            old_name=old_name,
            new_name=locked.recipient_name,
            version=locked.version,
            reason=reason,
        )
        pk = locked.pk
        transaction.on_commit(lambda: _queue([pk]))
    return locked
