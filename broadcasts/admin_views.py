"""Broadcasts in the Wagtail admin: write to a segment of a challenge's people in uz/ru/en,
preview the count and the message per language, send now or at a time, read the counts."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.models import Challenge
from challenges.selectors import managed_by
from core.access import obtain, require
from core.errors import Conflict, Refused, show
from notifications.selectors import counts_for

from .enums import BroadcastStatus
from .forms import BroadcastForm, SendForm
from .models import Broadcast
from .services import sending

PAGE_SIZE = 100


def _broadcast(request, pk):
    require(request.user, "broadcasts.open_staff_area")
    return obtain(
        request.user,
        Broadcast.objects.select_related("challenge", "track", "cohort", "created_by"),
        see="broadcasts.manage_broadcast",
        pk=pk,
    )


def index(request):
    require(request.user, "broadcasts.open_staff_area")
    challenges = list(managed_by(request.user).order_by("title"))
    rows = (
        Broadcast.objects.filter(challenge__in=challenges)
        .select_related("challenge")
        .order_by("-created_at", "-pk")[:PAGE_SIZE]
    )
    return TemplateResponse(
        request, "broadcasts/admin/index.html", {"challenges": challenges, "rows": rows}
    )


def new(request, challenge_id):
    require(request.user, "broadcasts.open_staff_area")
    challenge = obtain(request.user, Challenge, see="challenges.manage_challenge", pk=challenge_id)
    form = BroadcastForm(request.POST or None, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            broadcast = sending.save(broadcast=form.instance, by=request.user)
        except Refused as exc:
            show(request, exc, form=form)
        else:
            messages.success(request, _("The broadcast is saved. Check the preview, then send it."))
            return redirect("broadcasts_admin:detail", pk=broadcast.pk)
    return TemplateResponse(
        request, "broadcasts/admin/edit.html", {"form": form, "challenge": challenge}
    )


def edit(request, pk):
    broadcast = _broadcast(request, pk)
    if not broadcast.editable:
        messages.error(request, _("This broadcast was sent; it can no longer be changed."))
        return redirect("broadcasts_admin:detail", pk=broadcast.pk)
    form = BroadcastForm(request.POST or None, instance=broadcast, challenge=broadcast.challenge)
    if request.method == "POST" and form.is_valid():
        try:
            sending.save(broadcast=form.instance, by=request.user)
        except Refused as exc:
            show(request, exc, form=form)
        else:
            messages.success(request, _("The broadcast is saved."))
            return redirect("broadcasts_admin:detail", pk=broadcast.pk)
    return TemplateResponse(
        request,
        "broadcasts/admin/edit.html",
        {"form": form, "challenge": broadcast.challenge, "broadcast": broadcast},
    )


def detail(request, pk, send_form=None):
    broadcast = _broadcast(request, pk)
    context = {"broadcast": broadcast, "sent": broadcast.status == BroadcastStatus.SENT}
    if context["sent"]:
        context["counts"] = counts_for(broadcast)
    else:
        count, previews = sending.preview(broadcast)
        context.update(
            count=count,
            previews=previews,
            summary=sending.summary(count),
            send_form=send_form or SendForm(),
        )
    return TemplateResponse(request, "broadcasts/admin/detail.html", context)


@require_POST
def send(request, pk):
    broadcast = _broadcast(request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        response = detail(request, pk, send_form=form)
        response.status_code = 400
        return response
    try:
        sending.schedule(broadcast=broadcast, by=request.user, send_at=form.cleaned_data["send_at"])
    except Conflict as exc:  # sent already: its page has no form to show it on
        show(request, exc)
        response = detail(request, pk)
        response.status_code = exc.status
        return response
    except Refused as exc:
        show(request, exc, form=form)
        response = detail(request, pk, send_form=form)
        response.status_code = exc.status
        return response
    if form.cleaned_data["send_at"] is None:
        messages.success(request, _("The broadcast is being sent."))
    else:
        messages.success(request, _("The broadcast is scheduled."))
    return redirect("broadcasts_admin:detail", pk=broadcast.pk)


@require_POST
def unschedule(request, pk):
    broadcast = _broadcast(request, pk)
    try:
        sending.unschedule(broadcast=broadcast, by=request.user)
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(request, _("The broadcast is a draft again; it will not be sent."))
    return redirect("broadcasts_admin:detail", pk=broadcast.pk)
