"""Staff views in the Wagtail admin: issue in bulk, watch a batch, revoke and reissue."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import obtain, require
from core.errors import show

from .enums import CertificateStatus
from .forms import IssueForm, PlanForm, ReissueForm, RevokeForm
from .models import Certificate, IssuingBatch
from .selectors import batches_for, progress, visible_to_staff
from .services import issuing


def issue(request):
    require(request.user, "certificates.open_staff_area")
    preview = PlanForm(request.GET, user=request.user) if "challenge" in request.GET else None
    chosen = preview.cleaned_data["challenge"] if preview and preview.is_valid() else None
    form = IssueForm(
        request.POST or None,
        user=request.user,
        initial={"challenge": chosen.pk} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = issuing.issue_certificates(
                challenge=form.cleaned_data["challenge"],
                rule=form.cleaned_data["rule"],
                by=request.user,
            )
        except issuing.IssuingError as exc:
            show(request, exc, form=form)
        else:
            if batch.queued == 0:
                messages.info(request, _("Nobody new to issue to: everyone already has one."))
            return redirect("certificates_admin:batch", pk=batch.pk)
    batches = list(batches_for(request.user)[:20])
    plan = issuing.issuing_plan(challenge=chosen, by=request.user) if chosen else None
    return TemplateResponse(
        request,
        "certificates/admin/issue.html",
        {
            "form": form,
            "batches": batches,
            "plan": plan,
            "preview": preview or PlanForm(user=request.user),
            "chosen": chosen,
        },
    )


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
    revoke_form = RevokeForm(prefix="revoke")
    reissue_form = ReissueForm(
        prefix="reissue", initial={"recipient_name": certificate.recipient_name}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "revoke":
                revoke_form = RevokeForm(request.POST, prefix="revoke")
                if revoke_form.is_valid():
                    issuing.revoke(
                        certificate=certificate,
                        reason=revoke_form.cleaned_data["reason"],
                        by=request.user,
                    )
                    messages.success(request, _("The certificate is revoked."))
                    return redirect("certificates_admin:certificate", pk=pk)
            elif action == "reissue":
                reissue_form = ReissueForm(request.POST, prefix="reissue")
                if reissue_form.is_valid():
                    issuing.reissue(
                        certificate=certificate,
                        recipient_name=reissue_form.cleaned_data["recipient_name"],
                        reason=reissue_form.cleaned_data["reason"],
                        by=request.user,
                    )
                    messages.success(request, _("The certificate is being issued again."))
                    return redirect("certificates_admin:certificate", pk=pk)
            else:
                raise Http404
        except issuing.IssuingError as exc:
            show(request, exc)
    context = {
        "certificate": certificate,
        "revisions": list(certificate.revisions.all()),
        "revoke_form": revoke_form,
        "reissue_form": reissue_form,
    }
    return TemplateResponse(request, "certificates/admin/certificate_detail.html", context)
