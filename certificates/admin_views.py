"""Staff views in the Wagtail admin: issue in bulk, watch a batch, revoke and reissue."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from challenges.models import Challenge
from core.access import allowed, obtain, require
from core.errors import show

from .enums import CertificateStatus, IssueRule
from .forms import ConfirmIssueForm, IssueForm, PlanForm, ReissueForm, RevokeForm
from .models import Certificate, IssuingBatch
from .selectors import batches_for, progress, template_editors, visible_to_staff
from .services import issuing

ADD_TEMPLATE = "wagtailsnippets_certificates_certificatetemplate:add"
#: A certificate staff may revoke: issued, or failed (so it is never retried into validity).
REVOCABLE = {CertificateStatus.ISSUED, CertificateStatus.FAILED}


def _template_hint(user):
    """What the page says when a kind has no template: a link for people who can create
    one, otherwise whom to ask (an editor cannot open the template snippets)."""
    if allowed(user, "certificates.edit_templates"):
        return {"can_edit_templates": True, "add_template_url": reverse(ADD_TEMPLATE)}
    return {"can_edit_templates": False, "template_editors": template_editors()}


@require_GET
def issue(request):
    """Step 1: see, per rule, who a batch would reach; pick a challenge and a rule."""
    require(request.user, "certificates.open_staff_area")
    preview = PlanForm(request.GET, user=request.user) if "challenge" in request.GET else None
    chosen = preview.cleaned_data["challenge"] if preview and preview.is_valid() else None
    form = IssueForm(user=request.user, initial={"challenge": chosen.pk} if chosen else None)
    batches = list(batches_for(request.user)[:20])
    plan = issuing.issuing_plan(challenge=chosen, by=request.user) if chosen else None
    context = {
        "form": form,
        "batches": batches,
        "plan": plan,
        "preview": preview or PlanForm(user=request.user),
        "chosen": chosen,
    }
    if plan and any(row["missing_template"] for row in plan):
        context.update(_template_hint(request.user))
    return TemplateResponse(request, "certificates/admin/issue.html", context)


def issue_confirm(request):
    """Step 2: GET shows what issuing would do (counts, languages and fallbacks, the
    phase's objection); POST starts the batch (with "issue anyway" and a reason when the
    phase does not allow it yet)."""
    require(request.user, "certificates.open_staff_area")
    data = request.POST if request.method == "POST" else request.GET
    challenge = obtain(
        request.user, Challenge, see="challenges.manage_challenge", pk=data.get("challenge")
    )
    if data.get("rule") not in IssueRule.values:
        raise Http404
    rule = IssueRule(data["rule"])
    initial = {"challenge": challenge.pk, "rule": rule.value}
    form = ConfirmIssueForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = issuing.issue_certificates(
                challenge=challenge, rule=rule, by=request.user, override_reason=form.reason
            )
        except issuing.IssuingError as exc:
            show(
                request, exc, form=form, field="override" if exc.code == issuing.TOO_EARLY else None
            )
        else:
            if batch.queued == 0:
                messages.info(request, _("Nobody new to issue to: everyone already has one."))
            return redirect("certificates_admin:batch", pk=batch.pk)
    summary = issuing.issuing_summary(challenge=challenge, rule=rule, by=request.user)
    context = {"form": form, "challenge": challenge, "rule": rule, "summary": summary}
    if summary["missing_template"]:
        context.update(_template_hint(request.user))
    return TemplateResponse(request, "certificates/admin/issue_confirm.html", context)


def _batch(request, pk):
    require(request.user, "certificates.open_staff_area")
    return obtain(
        request.user,
        IssuingBatch.objects.select_related("challenge", "created_by"),
        see="certificates.manage_batch",
        pk=pk,
    )


def batch(request, pk):
    batch = _batch(request, pk)
    failures = list(batch.certificates.filter(status=CertificateStatus.FAILED))
    context = {
        "batch": batch,
        "progress": progress(batch),
        "failures": failures,
        "progress_url": reverse("certificates_admin:batch_progress", kwargs={"pk": batch.pk}),
    }
    return TemplateResponse(request, "certificates/admin/batch.html", context)


def batch_progress(request, pk):
    return JsonResponse(progress(_batch(request, pk)))


@require_POST
def batch_retry(request, pk):
    batch = _batch(request, pk)
    count = issuing.retry_failed(batch=batch, by=request.user)
    messages.success(request, _("%(count)d certificates queued again.") % {"count": count})
    return redirect("certificates_admin:batch", pk=batch.pk)


def certificate_list(request):
    require(request.user, "certificates.open_staff_area")
    query = (request.GET.get("q") or "").strip()
    certificates = visible_to_staff(request.user).select_related("challenge")
    if query:
        certificates = certificates.filter(
            Q(code__iexact=query) | Q(recipient_name__icontains=query)
        )
    context = {"certificates": certificates.order_by("-created_at")[:100], "query": query}
    return TemplateResponse(request, "certificates/admin/certificate_list.html", context)


def _certificate(request, pk):
    require(request.user, "certificates.open_staff_area")
    return obtain(
        request.user,
        Certificate.objects.select_related("challenge"),
        see="certificates.manage_certificate",
        pk=pk,
    )


def certificate_detail(request, pk):
    certificate = _certificate(request, pk)
    reissue_form = ReissueForm(
        prefix="reissue", initial={"recipient_name": certificate.recipient_name}
    )
    if request.method == "POST":
        if request.POST.get("action") != "reissue":
            raise Http404  # revoking has its own confirmation page
        reissue_form = ReissueForm(request.POST, prefix="reissue")
        if reissue_form.is_valid():
            try:
                issuing.reissue(
                    certificate=certificate,
                    recipient_name=reissue_form.cleaned_data["recipient_name"],
                    reason=reissue_form.cleaned_data["reason"],
                    by=request.user,
                )
            except issuing.IssuingError as exc:
                show(request, exc)
            else:
                messages.success(request, _("The certificate is being issued again."))
                return redirect("certificates_admin:certificate", pk=pk)
    context = {
        "certificate": certificate,
        "revisions": list(certificate.revisions.all()),
        "reissue_form": reissue_form,
        "can_revoke": certificate.status in REVOCABLE,
    }
    return TemplateResponse(request, "certificates/admin/certificate_detail.html", context)


def certificate_revoke(request, pk):
    """GET: what revoking this certificate does (changes nothing); POST with a reason:
    revoke it."""
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and certificate.status in REVOCABLE and form.is_valid():
        try:
            issuing.revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
            )
        except issuing.IssuingError as exc:
            show(request, exc, form=form)
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("certificates_admin:certificate", pk=pk)
    context = {
        "certificate": certificate,
        "form": form,
        "can_revoke": certificate.status in REVOCABLE,
    }
    return TemplateResponse(request, "certificates/admin/certificate_revoke.html", context)
