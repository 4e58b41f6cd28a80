"""How many requests one client may make per minute: public certificate verification, and
votes in a people's choice vote (``voting.views.vote``), and the read-only API (``api``:
its JSON endpoints and Wagtail's page API).

The counting is allauth's rate limiter (the one that guards logins): a sliding window on
the shared cache, keyed on the client address that ``core.client_ip`` trusts (``/ip``) or
on the signed-in account (``/user``). Its public wrapper (``allauth.core.ratelimit``)
ignores GET requests and reads allauth's own settings, so this calls the function
underneath, which takes both as arguments; the verification tests
(tests/certificates/test_verify.py) catch a change of that signature.
"""

import functools

from allauth.core.internal import ratelimit
from django.conf import settings
from django.shortcuts import render


def verify_rate():
    return f"{settings.TANLOV_VERIFY_RATE_PER_MINUTE}/1m/ip"


def limited(
    action,
    *,
    app="certificates",
    rate=verify_rate,
    template="certificates/rate_limited.html",
    answer=None,
):
    """Answer 429 (with ``template``) once a client is over ``rate()``: an allauth rate
    string such as ``"30/1m/ip"`` or ``"10/1m/ip,3/1m/user"`` (per-user parts need a
    signed-in person, so put them on views that require one). ``answer(request)``, when
    given, makes the 429 response instead of the template (the JSON API's error)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            allowed = ratelimit.consume(
                request, app=app, action=action, config={action: rate()}, limit_get=True
            )
            if not allowed:
                if answer is not None:
                    response = answer(request)
                    response.status_code = 429
                else:
                    response = render(request, template, status=429)
                response["Retry-After"] = "60"  # the window slides: a minute at most
                response["X-Robots-Tag"] = "noindex, nofollow"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
