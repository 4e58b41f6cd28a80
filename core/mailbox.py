"""The development mailbox: e-mails kept as files so that a newcomer can read them.

``make run`` has no SMTP server. ``MailboxBackend`` writes each message it is given to
``TANLOV_DEV_MAIL_DIR`` (``var/mail/`` by default) as one ``.eml`` file, and logs one line
saying where to read it; the development page ``/<lang>/dev/mail/`` (``core.views``,
mounted only when ``TANLOV_DEV_MAIL`` is on) lists them, newest first, and shows one with
its links clickable — the verification link of a sign-up above all.

Why files and not a model: the mailbox is a development tool, and a model would put a
table (and a migration) into every production database for it; files need nothing, are
written by whichever process sends (the web server or a Celery worker), and ``.eml`` opens
in any mail program. ``scripts/run_local.sh`` empties the folder whenever it starts a fresh
demo database (the links in older messages would point at rows that no longer exist);
``rm -r var/mail`` empties it by hand.
"""

import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

#: ``<nanoseconds>-<random>.eml``: names sort by the time written and cannot be guessed.
NAME = re.compile(r"^(\d{19,20})-([0-9a-f]{8})\.eml$")
#: How many messages the list shows (the newest).
LIST_SIZE = 200


def mailbox_dir():
    return Path(settings.TANLOV_DEV_MAIL_DIR)


class MailboxBackend(BaseEmailBackend):
    """Writes each message to the development mailbox (never used in production)."""

    def send_messages(self, email_messages):
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            name = f"{time.time_ns():020d}-{secrets.token_hex(4)}.eml"
            # Written under a temporary name and renamed: the page never reads half a file.
            partial = folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes(linesep="\n"))
            os.replace(partial, folder / name)
            logger.info(
                "E-mail to %s kept in the development mailbox: %s",
                ", ".join(message.recipients()),
                _where(name.removesuffix(".eml"), folder / name),
            )
            sent += 1
        return sent


def _where(key, path):
    """The page showing the message (in the active language), or its file where the page is
    not mounted."""
    try:
        page = reverse("dev_mail_message", args=[key])
    except NoReverseMatch:
        return str(path)
    return settings.TANLOV_PUBLIC_BASE_URL.rstrip("/") + page


@dataclass(frozen=True)
class StoredMail:
    key: str
    subject: str
    sender: str
    to: str
    sent_at: object
    text: str = ""
    html: str = ""


def _parse(path, *, body):
    with path.open("rb") as handle:
        parsed = BytesParser(policy=policy.default).parse(handle, headersonly=not body)
    try:
        sent_at = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    text = html = ""
    if body:
        part = parsed.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
        part = parsed.get_body(preferencelist=("html",))
        html = part.get_content() if part is not None else ""
    return StoredMail(
        key=path.name.removesuffix(".eml"),
        subject=str(parsed["Subject"] or ""),
        sender=str(parsed["From"] or ""),
        to=", ".join(filter(None, [str(parsed["To"] or ""), str(parsed["Cc"] or "")])),
        sent_at=sent_at,
        text=text,
        html=html,
    )


def recent_mail(limit=LIST_SIZE):
    """The newest ``limit`` messages (headers only), newest first."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    names = sorted((n for n in os.listdir(folder) if NAME.match(n)), reverse=True)[:limit]
    return [_parse(folder / name, body=False) for name in names]


def stored_mail(key):
    """One message with its bodies, or None (an unknown or malformed key)."""
    name = f"{key}.eml"
    if not NAME.match(name):  # also keeps the key inside the folder
        return None
    path = mailbox_dir() / name
    if not path.is_file():
        return None
    return _parse(path, body=True)
