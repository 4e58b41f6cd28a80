"""Locale handling that leaves the non-translated parts of the site alone, and remembers
when the site (not the person) picked the language; a clean 503 when the database is gone."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils.translation import get_language_from_path

from .i18n import GUESS_COOKIE, language_of_path

logger = logging.getLogger(__name__)

# Paths outside i18n_patterns. Django's LocaleMiddleware turns a 404 into a redirect to the
# language-prefixed path whenever that path resolves — and with Wagtail's catch-all every
# path does, so a missing admin page would bounce to /uz/admin/… instead of saying 404.
UNPREFIXED = (
    "/admin/",
    "/django-admin/",
    "/healthz",
    "/static/",
    "/media/",
    "/documents/",
    "/api/",
)


class TanlovLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            return response
        response = super().process_response(request, response)
        _remember_guess(request, response)
        return response


def _remember_guess(request, response):
    """Mark a language the site guessed (an unprefixed first visit, no language cookie);
    forget the mark once the person opens a page in another language.

    Signing in reads the mark (core.accounts): a guessed language gives way to the one the
    person saved in their profile; a language the person chose is kept.
    """
    path_language = get_language_from_path(request.path_info)
    guessed = request.COOKIES.get(GUESS_COOKIE)
    if path_language is None:
        if (
            isinstance(response, HttpResponseRedirect)
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies  # set_language: chosen
            and (target := language_of_path(response["Location"]))
        ):
            response.set_cookie(
                GUESS_COOKIE,
                target,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
    elif guessed and guessed != path_language:
        response.delete_cookie(GUESS_COOKIE, samesite="Lax")


class DatabaseUnavailableMiddleware:
    """A database that dropped the connection or cannot be reached answers a clean 503.

    The request's transaction was rolled back by the database (nothing half-written stays),
    so the person may simply try again: the page says so in their language (the locale
    middleware has already activated it) and ``Retry-After`` says when. The page is
    rendered without a request, so no context processor touches the database again.
    Django closes the broken connection when the request ends; the next request opens a
    new one.
    """

    RETRY_AFTER = 30  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
