"""A small fixed-window rate limit on the shared cache, per client address."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def _client(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def limited(scope):
    """Answer 429 once a client has made more than the allowed requests this minute."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            window = int(time.time() // 60)
            key = f"ratelimit:{scope}:{_client(request)}:{window}"
            cache.add(key, 0, timeout=61)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=61)
                count = 1
            if count > settings.TANLOV_VERIFY_RATE_PER_MINUTE:
                response = render(request, "certificates/rate_limited.html", status=429)
                response["Retry-After"] = str(60 - int(time.time()) % 60)
                response["X-Robots-Tag"] = "noindex, nofollow"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
