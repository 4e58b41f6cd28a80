"""Channels: small adapters behind one interface, ``send(delivery, message) -> Outcome``.

Each adapter turns the gateway's answer into one of three outcomes: ``Sent`` (done),
``Retry`` (transient: timeouts, 5xx, 429 with its Retry-After) or ``Permanent`` (the
address can never work: an invalid phone number, a bot the person blocked). Adapters never
touch the database; ``notifications.delivery`` records the outcome.

Every request carries the delivery's idempotency key (``Idempotency-Key`` header, and a
message id field where the gateway has one) so that a gateway that deduplicates drops a
repeat sent after a worker died between the call and the status update.
"""

import logging
import re
import smtplib
import threading
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives

from .enums import Channel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str = ""
    link: str = ""

    @property
    def short(self):
        """One line for SMS: the subject and the link."""
        return f"{self.subject} {self.link}".strip()


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""


@dataclass(frozen=True)
class Retry:
    error: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Permanent:
    error: str


_local = threading.local()


def _session():
    """One keep-alive HTTP session per worker thread (a gateway sees few TCP handshakes).

    ``requests`` re-reads the environment (proxies, CA bundle, netrc) on every call unless
    told not to — a noticeable share of each message at hundreds per second. The session
    ignores it; ``_environment`` reads it once per gateway URL instead.
    """
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.trust_env = False
        _local.session = session
    return session


def _environment(url):
    """Proxies and TLS settings the environment gives ``url`` (read once per thread)."""
    cache = _local.__dict__.setdefault("environment", {})
    if url not in cache:
        with requests.Session() as probe:
            found = probe.merge_environment_settings(url, {}, None, None, None)
        cache[url] = {name: found[name] for name in ("proxies", "verify", "cert")}
    return cache[url]


def _send_post(url, **kwargs):
    session = _session()
    return session.post(url, **_environment(url), **kwargs)


def _retry_after(response):
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _json(response):
    try:
        return response.json()
    except ValueError:
        return {}


def _post(url, *, json, headers, timeout):
    """POST and classify transport failures; returns a response or a ``Retry``."""
    try:
        return _send_post(url, json=json, headers=headers, timeout=timeout)
    except requests.Timeout:
        return Retry("timeout")
    except requests.RequestException as exc:
        return Retry(f"connection error: {exc.__class__.__name__}")


# --- SMS ------------------------------------------------------------------------------------
PHONE_RE = re.compile(r"^998\d{9}$")


def normalise_phone(raw):
    """``+998 90 123-45-67`` → ``998901234567``; returns "" for anything that is not a number
    an Uzbek gateway accepts (country code 998 and nine digits)."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) == 9:  # written without the country code
        digits = "998" + digits
    return digits if PHONE_RE.match(digits) else ""


def sms_payload(*, style, phone, text, key, sender):
    """The request body for the configured gateway style.

    ``generic``: ``{"id", "to", "from", "text"}``. ``playmobile``: the shape of the
    ``messages`` array used by Play Mobile–style gateways (``recipient``, ``message-id``,
    ``sms.originator``, ``sms.content.text``), which deduplicate on ``message-id``.
    """
    if style == "playmobile":
        return {
            "messages": [
                {
                    "recipient": phone,
                    "message-id": key,
                    "sms": {"originator": sender, "content": {"text": text}},
                }
            ]
        }
    return {"id": key, "to": phone, "from": sender, "text": text}


class SmsChannel:
    """SMS over an HTTP JSON gateway (URL, credentials and sender from ``TANLOV_SMS_*``)."""

    channel = Channel.SMS
    # The gateways we target drop a repeated message id: a batch's outcomes may be
    # recorded together (see notifications.delivery).
    deduplicates = True

    def configured(self):
        return bool(settings.TANLOV_SMS_URL)

    def address(self, user):
        profile = _profile(user)
        return normalise_phone(profile.phone) if profile else ""

    def send(self, *, key, address, message):
        headers = {"Idempotency-Key": key}
        if settings.TANLOV_SMS_TOKEN:
            headers["Authorization"] = f"Bearer {settings.TANLOV_SMS_TOKEN}"
        payload = sms_payload(
            style=settings.TANLOV_SMS_STYLE,
            phone=address,
            text=message.short,
            key=key,
            sender=settings.TANLOV_SMS_SENDER,
        )
        auth = None
        if settings.TANLOV_SMS_USERNAME:
            auth = (settings.TANLOV_SMS_USERNAME, settings.TANLOV_SMS_PASSWORD)
        try:
            response = _send_post(
                settings.TANLOV_SMS_URL,
                json=payload,
                headers=headers,
                auth=auth,
                timeout=settings.TANLOV_SMS_TIMEOUT,
            )
        except requests.Timeout:
            return Retry("timeout")
        except requests.RequestException as exc:
            return Retry(f"connection error: {exc.__class__.__name__}")
        body = _json(response)
        if 200 <= response.status_code < 300:
            return Sent(str(body.get("id") or body.get("message_id") or ""))
        detail = f"HTTP {response.status_code}: {str(body.get('error') or response.text)[:200]}"
        if response.status_code == 429:
            return Retry(detail, _retry_after(response))
        # 400/404/422: the gateway refuses this message (bad number, banned text): final.
        # 401/403 are credentials, which an operator fixes: retried, then dead-lettered.
        if response.status_code in (400, 404, 410, 422):
            return Permanent(detail)
        return Retry(detail, _retry_after(response))


# --- Telegram -------------------------------------------------------------------------------
class TelegramChannel:
    """Telegram Bot API ``sendMessage`` to the chat linked with a one-time deep-link code."""

    channel = Channel.TELEGRAM
    # No idempotency key in the Bot API: each outcome is recorded as soon as it is known.
    deduplicates = False

    def configured(self):
        return bool(settings.TANLOV_TELEGRAM_BOT_TOKEN)

    def address(self, user):
        row = _channel_settings(user)
        return row.telegram_chat_id if row else ""

    def send(self, *, key, address, message):
        url = (
            f"{settings.TANLOV_TELEGRAM_API_URL.rstrip('/')}"
            f"/bot{settings.TANLOV_TELEGRAM_BOT_TOKEN}/sendMessage"
        )
        text = "\n\n".join(part for part in (message.subject, message.text, message.link) if part)
        # Telegram ignores the header; it documents which attempt a message came from and
        # lets a deduplicating proxy (or our test gateway) drop repeats.
        response = _post(
            url,
            json={"chat_id": address, "text": text[:4096], "disable_web_page_preview": True},
            headers={"Idempotency-Key": key},
            timeout=settings.TANLOV_TELEGRAM_TIMEOUT,
        )
        if isinstance(response, Retry):
            return response
        body = _json(response)
        if response.status_code == 200 and body.get("ok"):
            return Sent(str((body.get("result") or {}).get("message_id", "")))
        detail = f"HTTP {response.status_code}: {body.get('description') or response.text[:200]}"
        if response.status_code == 429:
            retry_after = (body.get("parameters") or {}).get("retry_after")
            return Retry(detail, float(retry_after) if retry_after else _retry_after(response))
        if response.status_code in (400, 403):  # chat not found, bot blocked by the user
            return Permanent(detail)
        return Retry(detail, _retry_after(response))


# --- E-mail ---------------------------------------------------------------------------------
class EmailChannel:
    """Django's mail (HTML + plain text); the key becomes the Message-ID, so a repeat sent
    after a crash is recognisable as the same message by mail servers and clients."""

    channel = Channel.EMAIL
    # Only mail clients collapse a repeated Message-ID: recorded message by message.
    deduplicates = False

    def configured(self):
        return True

    def address(self, user):
        return user.email or ""

    def send(self, *, key, address, message):
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "tanlov.local"
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body="\n\n".join(part for part in (message.text, message.link) if part),
            to=[address],
            headers={"Message-ID": f"<{key}@{domain}>", "X-Idempotency-Key": key},
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            return Permanent(f"recipient refused: {exc.recipients}")
        except (smtplib.SMTPException, OSError) as exc:
            return Retry(f"{exc.__class__.__name__}: {exc}")
        return Sent("")


def _profile(user):
    try:
        return user.profile
    except ObjectDoesNotExist:  # staff without a participant profile
        return None


def _channel_settings(user):
    try:
        return user.notification_settings
    except ObjectDoesNotExist:  # no settings row yet: defaults
        return None


ADAPTERS = {
    Channel.EMAIL: EmailChannel(),
    Channel.SMS: SmsChannel(),
    Channel.TELEGRAM: TelegramChannel(),
}


def adapter(channel):
    return ADAPTERS[Channel(channel)]
