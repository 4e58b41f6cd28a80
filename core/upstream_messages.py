"""Messages of Django and django-allauth that their Uzbek catalogues lack or word oddly.

``makemessages`` finds them here, so our catalogue (``LOCALE_PATHS``, which comes before
the packages' own) holds their translations. Nothing calls ``_messages``; it exists only
to be read by ``makemessages``.
"""

from django.utils.translation import gettext, ngettext, pgettext


def _messages():  # pragma: no cover -- read by makemessages, never called
    # django.contrib.auth.password_validation
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    )
    ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        8,
    )
    gettext("The password is too similar to the %(verbose_name)s.")
    gettext("Your password can’t be too similar to your other personal information.")
    gettext("This password is too common.")
    gettext("Your password can’t be a commonly used password.")
    gettext("This password is entirely numeric.")
    gettext("Your password can’t be entirely numeric.")
    # django.utils.timesince joins "3 weeks, 3 days" with this separator
    gettext(", ")
    # allauth
    gettext("Email")
    gettext("Remember Me")
    pgettext("field label", "Login")
