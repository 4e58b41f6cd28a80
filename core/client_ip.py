"""The client's address, as far as the deployment lets us know it.

Behind a load balancer every request comes from the balancer's address, so limits keyed on
``REMOTE_ADDR`` would lock out everyone at once. ``X-Forwarded-For`` carries the real
address, but any client can send that header with whatever it likes in it: only the entries
appended by proxies *we* run can be believed. ``TANLOV_TRUSTED_PROXY_HOPS`` says how many
there are (docs/deploy.md, "Client addresses"):

* 0 (the default): no proxy is trusted; the address is ``REMOTE_ADDR``.
* N > 0: the N-th address from the right of ``X-Forwarded-For`` — the one our outermost
  proxy saw. Entries further left were written by the client and are ignored.

Every rate limit (allauth's logins and sign-ups, certificate verification) keys on this one
function, through ``core.accounts.AccountAdapter.get_client_ip``.
"""

import ipaddress

from django.conf import settings


def _address(value):
    """``value`` as a normalised IP address, or None when it is not one."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The address of the client that sent ``request`` (see the module docstring)."""
    remote = _address(request.META.get("REMOTE_ADDR")) or "unknown"
    hops = settings.TANLOV_TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")
    if len(forwarded) < hops or not forwarded[-hops].strip():
        # Fewer entries than proxies we run: the request did not come through all of them
        # (a health check, a misconfigured hop). What reached us directly is all we know.
        return remote
    return _address(forwarded[-hops]) or remote
