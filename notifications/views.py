import json
import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.access import obtain
from core.errors import Refused, as_json

from . import selectors, services
from .forms import PreferencesForm
from .messages import link_path
from .messages import render as render_message
from .models import ChannelSettings, Notification

logger = logging.getLogger(__name__)
PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    items = [(n, render_message(n, language=language)) for n in page.object_list]
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "items": items, "unread": selectors.unread_count(request.user)},
    )


@login_required
def open_notification(request, pk):
    """Mark one notification read and go where it points (404 for someone else's)."""
    notification = obtain(request.user, Notification, see="notifications.read_notification", pk=pk)
    services.mark_read(user=request.user, notification=notification)
    target = link_path(notification, get_language())
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    table = services.preference_table(request.user)
    channel_settings = ChannelSettings.objects.filter(user=request.user).first()
    initial = {}
    if channel_settings:
        initial = {
            "quiet_from": channel_settings.quiet_from,
            "quiet_until": channel_settings.quiet_until,
        }
    form = PreferencesForm(request.POST or None, table=table, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            user=request.user,
            table=form.table(),
            quiet_from=form.cleaned_data["quiet_from"],
            quiet_until=form.cleaned_data["quiet_until"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    deep_link = ""
    row = channel_settings
    if row and row.telegram_code and not row.telegram_chat_id:
        deep_link = services.telegram_deep_link(channel_settings.telegram_code)
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "channel_settings": channel_settings,
            "telegram_link": deep_link,
            "telegram_available": bool(settings.TANLOV_TELEGRAM_BOT_TOKEN),
        },
    )


@login_required
@require_POST
def telegram_link(request):
    services.start_telegram_link(user=request.user)
    messages.info(
        request, _("Open the link below in Telegram and press Start to link your account.")
    )
    return redirect("notifications:preferences")


@login_required
@require_POST
def telegram_unlink(request):
    services.unlink_telegram(user=request.user)
    messages.success(request, _("Telegram is no longer linked."))
    return redirect("notifications:preferences")


@csrf_exempt
@require_POST
def telegram_webhook(request):
    """Updates from the Telegram Bot API; ``/start <code>`` links the chat.

    Telegram proves itself with the secret token set in ``setWebhook`` (header
    ``X-Telegram-Bot-Api-Secret-Token``). Always 200 for well-formed calls so Telegram does
    not redeliver updates we chose to ignore.
    """
    secret = settings.TANLOV_TELEGRAM_WEBHOOK_SECRET
    if not secret:
        raise Http404
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not constant_time_compare(given, secret):
        return HttpResponseForbidden()
    try:
        start = _start_command(request.body)
    except Refused as exc:
        return as_json(exc)
    if start is not None:
        chat_id, code = start
        user = services.link_telegram(code=code, chat_id=chat_id) if code else None
        if user is None:
            logger.info("telegram /start with an unknown, expired or malformed code")
    return HttpResponse(status=200)


#: What a ``/start`` deep-link parameter may hold (Telegram's rule, and our codes' alphabet).
START_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: Telegram chat ids fit in 52 bits; anything beyond a signed 64-bit integer is not one.
CHAT_ID_LIMIT = 2**63


def _start_command(body):
    """``(chat_id, code)`` of a ``/start <code>`` message, ``None`` for any other update.

    ``code`` is ``""`` when what follows ``/start`` cannot be one of our codes (text a
    person typed, a NUL that PostgreSQL would refuse): such an update is acknowledged and
    ignored. :class:`~core.errors.Refused` for a body of a shape Telegram never sends.
    """
    malformed = Refused(_("The update was not understood."), code="malformed_update")
    try:
        update = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise malformed from None
    if not isinstance(update, dict):
        raise malformed
    message = update.get("message")
    if message is None:
        return None
    if not isinstance(message, dict):
        raise malformed
    text, chat = message.get("text"), message.get("chat")
    if text is not None and not isinstance(text, str):
        raise malformed
    if chat is not None and not isinstance(chat, dict):
        raise malformed
    chat_id = (chat or {}).get("id")
    if chat_id is not None and (
        isinstance(chat_id, bool)
        or not isinstance(chat_id, int)
        or not -CHAT_ID_LIMIT < chat_id < CHAT_ID_LIMIT
    ):
        raise malformed
    text = (text or "").strip()
    if chat_id is None or not text.startswith("/start"):
        return None
    code = text.removeprefix("/start").strip()
    return chat_id, code if START_CODE.fullmatch(code) else ""
