"""Where a ``next=`` parameter may send the user: this site only.

A login or form page that redirects to whatever ``next`` says is an open redirect
(``https://evil.example/``, ``//evil.example/``) or worse (``javascript:…``). Every view
that honours ``next`` asks ``safe_next`` for the target.
"""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request, url):
    """Whether ``url`` stays on this site (same host; HTTPS when the request is)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, fallback):
    """The ``next`` target of ``request`` (POST, then GET) if it is safe, else ``fallback``.

    ``fallback`` is a URL, a URL name or a model, as for ``redirect``.
    """
    for source in (request.POST, request.GET):
        target = source.get("next")
        if target:
            return target if is_safe(request, target) else resolve_url(fallback)
    return resolve_url(fallback)
