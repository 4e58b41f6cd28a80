"""Locale handling that leaves the non-translated parts of the site alone."""

from django.middleware.locale import LocaleMiddleware

# Paths outside i18n_patterns. Django's LocaleMiddleware turns a 404 into a redirect to the
# language-prefixed path whenever that path resolves — and with Wagtail's catch-all every
# path does, so a missing admin page would bounce to /uz/admin/… instead of saying 404.
UNPREFIXED = ("/admin/", "/django-admin/", "/healthz", "/static/", "/media/", "/documents/")


class TanlovLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)
