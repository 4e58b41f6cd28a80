"""allauth, adapted to Tanlov: one client address and one redirect rule for the whole site."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

from .client_ip import client_ip
from .redirects import is_safe


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address allauth's rate limits key on (and ours: certificates.ratelimit)."""
        return client_ip(request)

    def is_safe_url(self, url):
        """allauth's ``next`` follows the same rule as every other ``next`` of the site."""
        request = self.request or context.request
        return is_safe(request, url)
