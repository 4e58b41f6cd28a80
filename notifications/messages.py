"""Rendering a notification in its recipient's language.

Message templates live in ``notifications/templates/notifications/messages/<lang>/<event>.txt``
(uz, ru, en): the first line is the subject, the rest the body. They are rendered inside
``translation.override(language)``, so what they format (dates through ``|date``, links
through ``translate_url``) follows the recipient's language too. A language without its own
template falls back to English.
"""

from django.conf import settings
from django.template.loader import render_to_string, select_template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_path

from core.i18n import for_reader

from .channels import Message


def site_url(path):
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.TANLOV_PUBLIC_BASE_URL.rstrip("/") + path


def link_path(notification, language):
    """The page the message points to, in ``language`` (paths carry a language prefix)."""
    context = notification.context or {}
    path = notification.link or context.get("accept_path") or context.get("verify_url") or ""
    if not path and context.get("token") and notification.event == "team.invitation":
        try:
            path = reverse("submissions:invitation", args=[context["token"]])
        except NoReverseMatch:
            path = ""
    if path.startswith("/"):
        # Resolve in the language the path was written in, reverse in the reader's.
        with translation.override(get_language_from_path(path) or language):
            path = translate_url(path, language)
    return path


def render(notification, *, language=None, html=False):
    """The ``Message`` for ``notification`` in ``language`` (default: the recipient's)."""
    language = language or notification.language or settings.LANGUAGE_CODE
    with translation.override(language):
        template = select_template(
            [
                f"notifications/messages/{language}/{notification.event}.txt",
                f"notifications/messages/en/{notification.event}.txt",
                "notifications/messages/en/generic.txt",
            ]
        )
        recipient = notification.recipient
        # Plain text: values are not HTML-escaped here; the HTML e-mail escapes the result.
        context = {
            key: mark_safe(value) if isinstance(value, str) else value  # noqa: S308
            for key, value in (
                (key, for_reader(value, language))
                for key, value in (notification.context or {}).items()
            )
        }
        link = site_url(link_path(notification, language))
        context.update(
            event=notification.event,
            name=(recipient.get_full_name() or recipient.username) if recipient else "",
            link=link,
        )
        subject, _, body = template.render(context).strip().partition("\n")
        subject, body = subject.strip(), body.strip()
        html_body = ""
        if html:
            html_body = render_to_string(
                "notifications/email/message.html",
                {"subject": subject, "body": body, "link": link, "language": language},
            )
    return Message(subject=subject, text=body, html=html_body, link=link)
