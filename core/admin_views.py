"""Staff pages in the Wagtail admin: a person's data, exported or erased on request
(superusers only: ``core.manage_personal_data``; every use is audited)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import personal_data
from .access import require
from .privacy_views import json_download

PERM = "core.manage_personal_data"


class FindForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Recorded in the audit trail, e.g. the request's reference."),
    )


class StaffErasureForm(StaffReasonForm):
    guardian = forms.BooleanField(
        label=gettext_lazy("Requested by the guardian on file (a minor's deletion)"),
        required=False,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I checked who asked, and understand this cannot be undone."),
    )


def _person(pk):
    return get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk)


def index(request):
    require(request.user, PERM)
    form = FindForm(request.GET or None)
    person = None
    if form.is_valid():
        person = (
            get_user_model()
            .objects.filter(email__iexact=form.cleaned_data["email"])
            .select_related("profile")
            .first()
        )
        if person is None:
            messages.error(request, _("No account has this e-mail address."))
    context = {"form": form, "person": person}
    if person is not None:
        context.update(
            export_form=StaffReasonForm(),
            erase_form=StaffErasureForm(),
            anonymised=personal_data.is_anonymised(person),
            guardian=getattr(getattr(person, "profile", None), "guardian_contact", ""),
        )
    return TemplateResponse(request, "privacy/admin/index.html", context)


@require_POST
def export(request, pk):
    require(request.user, PERM)
    person = _person(pk)
    form = StaffReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for this export."))
        return redirect("privacy_admin:index")
    data = personal_data.export(person)
    personal_data.record_staff_export(
        user=person, by=request.user, reason=form.cleaned_data["reason"]
    )
    day = timezone.localdate().isoformat()
    return json_download(data, name=f"tanlov-personal-data-{person.pk}-{day}.json")


@require_POST
def erase(request, pk):
    require(request.user, PERM)
    person = _person(pk)
    form = StaffErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason and confirm the deletion."))
        return redirect("privacy_admin:index")
    if person.pk == request.user.pk:
        messages.error(request, _("Delete your own account from your dashboard."))
        return redirect("privacy_admin:index")
    try:
        personal_data.erase(
            person,
            by=request.user,
            reason=form.cleaned_data["reason"],
            guardian=form.cleaned_data["guardian"],
        )
    except personal_data.AlreadyErased:
        messages.error(request, _("This person's data was already deleted."))
    else:
        messages.success(request, _("The person's data is deleted; their account is anonymised."))
    return redirect("privacy_admin:index")
