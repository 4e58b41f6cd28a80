"""The one error contract: what a service raises when it refuses, and how views show it.

Services raise :class:`Refused` (or a subclass) with a translated sentence, a stable
``code`` that tests, logs and JSON clients can rely on, and optionally the form ``field``
the sentence is about. Views never invent their own shapes: they hand the exception to one
of the helpers below, which turn it into a form error, a flash message or a JSON answer
with the exception's HTTP status.

    try:
        submit_entry(submission=entry, by=request.user)
    except Refused as exc:
        show(request, exc, form=form)       # a form error (or a message when no form)

    except Refused as exc:
        return as_json(exc)                  # {"error": "...", "code": "..."} with exc.status

The subclasses name the status a view answers with: 400 for input the rules refuse, 403 for
a person who may see the object but not do this to it, 409 for a change that lost a race or
finds the object in another state, 503 for a service (S3, SMTP) that did not answer — in
that case nothing was decided and the person may retry.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse


class Refused(Exception):
    """A request the rules refuse; ``message`` is translated and safe to show."""

    status = 400
    default_code = "refused"

    def __init__(self, message, *, code=None, field=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def __str__(self):
        return str(self.message)


class NotAllowed(Refused, PermissionDenied):
    """The person may see the object but not do this to it (views answer 403).

    It is also Django's ``PermissionDenied``, so an uncaught one still becomes a 403 page.
    """

    status = 403
    default_code = "not_allowed"


class Conflict(Refused):
    """The object changed or is in another state than the request assumed (409)."""

    status = 409
    default_code = "conflict"


class Unavailable(Refused):
    """A service we depend on did not answer; nothing was decided, retry later (503)."""

    status = 503
    default_code = "unavailable"


def show(request, exc, *, form=None, field=None):
    """Put ``exc`` where the person will read it: on ``form`` (``field`` if given, else the
    exception's field, else the form's top) when a form is given, otherwise as an error
    message on the next page."""
    if form is not None:
        field = field or exc.field
        field = field if field in getattr(form, "fields", {}) else None
        form.add_error(field, str(exc.message))
    else:
        messages.error(request, str(exc.message))


def as_json(exc):
    """The JSON answer for ``exc``: ``{"error", "code"[, "field"]}`` with its status."""
    body = {"error": str(exc.message), "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    return JsonResponse(body, status=exc.status)
