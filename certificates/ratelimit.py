"""How many public verifications one client may ask for per minute.

The counting is allauth's rate limiter (the one that guards logins): a sliding window on
the shared cache, keyed on the client address that ``core.client_ip`` trusts. Its public
wrapper (``allauth.core.ratelimit``) ignores GET requests and reads allauth's own settings,
so this calls the function underneath, which takes both as arguments; the verification
tests (tests/certificates/test_verify.py) catch a change of that signature.
"""

import functools

from allauth.core.internal import ratelimit
from django.conf import settings
from django.shortcuts import render


def limited(action):
    """Answer 429 once a client has asked for ``TANLOV_VERIFY_RATE_PER_MINUTE`` pages."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            rate = f"{settings.TANLOV_VERIFY_RATE_PER_MINUTE}/1m/ip"
            allowed = ratelimit.consume(
                request, app="certificates", action=action, config={action: rate}, limit_get=True
            )
            if not allowed:
                response = render(request, "certificates/rate_limited.html", status=429)
                response["Retry-After"] = "60"  # the window slides: a minute at most
                response["X-Robots-Tag"] = "noindex, nofollow"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
