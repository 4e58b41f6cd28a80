"""allauth, adapted to Tanlov: one client address, one redirect rule for the whole site,
and every step of signing in, up and out staying in the language of the page used.

Language (issue 15): the page's language prefix decides where a person lands after
signing in or up, logging out, confirming an address or resetting a password, and the
language of the links in those e-mails. The profile's saved preferred language is for
messages; here it decides only when the site guessed the page's language on a first,
unprefixed visit (``core.i18n.language_for``, the mark set by ``core.middleware``).
"""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import unstash_login
from allauth.core import context
from django.utils import translation

from .client_ip import client_ip
from .i18n import in_language, language_for, page_language
from .redirects import is_safe


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address allauth's rate limits key on (and ours: certificates.ratelimit)."""
        return client_ip(request)

    def is_safe_url(self, url):
        """allauth's ``next`` follows the same rule as every other ``next`` of the site."""
        request = self.request or context.request
        return is_safe(request, url)

    # A ``next`` the person carried wins over these (allauth asks them only without one).
    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        return in_language(url, language_for(request, request.user))

    def get_signup_redirect_url(self, request):
        return in_language(super().get_signup_redirect_url(request), page_language(request))

    def get_logout_redirect_url(self, request):
        return in_language(super().get_logout_redirect_url(request), page_language(request))

    def get_email_verification_redirect_url(self, email_address):
        url = super().get_email_verification_redirect_url(email_address)
        return in_language(str(url), page_language(self.request))

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The confirmation link carries the ``next`` the person signed up (or in) with —
        a team invitation's page, say — so that confirming, even in another browser, leads
        on to it (allauth's confirm page keeps ``next`` through its form)."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = _pending_next(request)
        return f"{url}?{urlencode({'next': target})}" if target else url

    def send_password_reset_mail(self, user, email, context):
        """The reset e-mail and its link in the language the person continues in."""
        language = language_for(self.request, user)
        url = context.get("password_reset_url")
        if url:
            context = {**context, "password_reset_url": in_language(url, language)}
        with translation.override(language):
            return super().send_password_reset_mail(user, email, context)


def _pending_next(request):
    """The safe ``next`` of the sign-up or sign-in under way: the form's, or the one allauth
    keeps with the pending login (a "send the link again" request carries none)."""
    if request is None:
        return ""
    target = request.POST.get("next") or request.GET.get("next")
    if not target:
        login = unstash_login(request, peek=True)
        target = (login.redirect_url if login else "") or ""
    return target if target and is_safe(request, target) else ""
