"""A test-only URLconf: the project's URLs plus views that fail on purpose."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler403
from config.urls import urlpatterns as project_urlpatterns
from core.errors import NotAllowed


def refuse_with_reason(request):
    raise NotAllowed("Only the team's owner may transfer the team.")


def refuse_plainly(request):
    raise PermissionDenied("internal: rule incubation.secret_rule said no")


def suspicious(request):
    raise SuspiciousOperation("tampered input")


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *i18n_patterns(
        path("test-errors/refused/", refuse_with_reason),
        path("test-errors/denied/", refuse_plainly),
        path("test-errors/suspicious/", suspicious),
        path("test-errors/crash/", crash),
        prefix_default_language=True,
    ),
    *project_urlpatterns,
]

__all__ = ["handler403", "urlpatterns"]
