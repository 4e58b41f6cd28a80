"""A person's own data (thin views over ``core.personal_data``): download it as JSON, or
ask for it to be erased (docs/security.md, "Personal data")."""

import json

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import personal_data
from .audit import record


def json_download(data, *, name):
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
@login_required
def export(request):
    """Everything about the signed-in person; there is no id in the address to change."""
    user = request.user
    data = personal_data.export(user)
    record(action="core.personal_data.exported", obj=user, by=user, staff=False)
    day = timezone.localdate().isoformat()
    return json_download(data, name=f"tanlov-my-data-{day}.json")


class ConfirmErasureForm(forms.Form):
    """The password again (or, for an account without one, the e-mail address)."""

    secret = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            self.fields["secret"].label = _("Your e-mail address")
            self.fields["secret"].widget = forms.EmailInput(attrs={"autocomplete": "email"})

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        if self.user.has_usable_password():
            if not self.user.check_password(secret):
                raise forms.ValidationError(_("This is not your password."))
        elif secret.strip().lower() != (self.user.email or "").lower():
            raise forms.ValidationError(_("This is not your e-mail address."))
        return secret


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def erase(request):
    """The confirmation page; the POST (CSRF-checked, password re-entered) erases."""
    user = request.user
    form = ConfirmErasureForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        personal_data.erase(user, by=user)
        logout(request)
        return render(request, "privacy/erased.html")
    return render(
        request,
        "privacy/erase.html",
        {"form": form, "sections": personal_data.sections()},
        status=400 if form.errors else 200,
    )
