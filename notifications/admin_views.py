"""The dead-letter view in the Wagtail admin: deliveries that failed, and a way to resend."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require

from . import selectors, services
from .enums import DEAD_LETTER, DeliveryStatus
from .models import Delivery

PAGE_SIZE = 50


def _check(request):
    require(request.user, "notifications.resend_delivery")


def dead_letters(request):
    _check(request)
    rows = selectors.dead_letters()
    channel = request.GET.get("channel", "")
    if channel:
        rows = rows.filter(channel=channel)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        status: Delivery.objects.filter(status=status).count()
        for status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING, *DEAD_LETTER)
    }
    return render(
        request,
        "notifications/admin/dead_letters.html",
        {"page": page, "channel": channel, "counts": counts},
    )


@require_POST
def retry(request, pk):
    _check(request)
    delivery = get_object_or_404(Delivery, pk=pk, status__in=DEAD_LETTER)
    services.retry_delivery(delivery=delivery, by=request.user)
    messages.success(request, _("The message was queued to be sent again."))
    return redirect("notifications_admin:dead_letters")
