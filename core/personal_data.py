"""A person's data under their control: one export, one erasure, every app contributing.

Each app that keeps something about a person registers, in its ``AppConfig.ready``:

* ``register_section(name, export)``: ``export(user)`` returns what the app holds about
  ``user`` as JSON-able data (only theirs: never another person's e-mail or a juror);
* ``register_eraser(name, erase, order=…)``: ``erase(user, by=…)`` anonymises or deletes
  what the app holds about ``user``; erasers run in ``order`` inside one transaction.

:func:`export` gathers the sections; :func:`erase` runs the erasers and then anonymises the
account itself (name, e-mail → a unique non-routable placeholder, unusable password,
allauth addresses, sessions). Audit rows keep their ids and actor: the person behind them
now reads as "anonymised" (:func:`display_name`). docs/security.md, "Personal data".
"""

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record

#: The domain of the placeholder addresses: ``.invalid`` can never be delivered (RFC 2606).
PLACEHOLDER_DOMAIN = "anonymised.invalid"
#: How an erased person's user name starts (the rest is random: unique, tells nothing).
PLACEHOLDER_PREFIX = "anonymised-"
#: The version of the export's layout (``format`` in the JSON).
FORMAT = 1


@dataclass(frozen=True)
class _Eraser:
    name: str
    erase: object
    order: int


_SECTIONS = {}
_ERASERS = {}


def register_section(name, export):
    """Add ``name`` to every export: ``export(user)`` returns JSON-able data."""
    _SECTIONS[name] = export


def register_eraser(name, erase, *, order=100):
    """Run ``erase(user, by=…)`` at every erasure (lower ``order`` first)."""
    _ERASERS[name] = _Eraser(name, erase, order)


def sections():
    return list(_SECTIONS)


def is_anonymised(user):
    """Whether ``user`` (or the user with this id) was erased at their request."""
    if user is None:
        return False
    email = getattr(user, "email", None)
    if email is None:  # an id
        model = get_user_model()
        email = model.objects.filter(pk=user).values_list("email", flat=True).first() or ""
    return email.endswith("@" + PLACEHOLDER_DOMAIN)


def display_name(user):
    """How staff pages name a person: "anonymised" once they were erased."""
    if user is None:
        return ""
    if is_anonymised(user):
        return _("anonymised")
    return user.get_full_name() or user.get_username()


def export(user):
    """Everything the apps hold about ``user``, as one JSON-able dict."""
    data = {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": _email_addresses(user),
        },
    }
    for name, section in _SECTIONS.items():
        data[name] = section(user)
    return data


def _email_addresses(user):
    from allauth.account.models import EmailAddress

    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("pk")
    ]


def record_staff_export(*, user, by, reason=""):
    """Staff downloaded ``user``'s data: always audited."""
    record(action="core.personal_data.exported", obj=user, by=by, reason=reason, staff=True)


class AlreadyErased(Exception):
    pass


def erase(user, *, by, reason="", guardian=False):
    """Anonymise ``user`` everywhere; ``by`` is the person themself or staff (with a
    ``reason``; ``guardian`` when a minor's guardian asked). Irreversible.

    Side effects: every registered eraser, the account anonymised (it can no longer sign
    in), allauth addresses and sessions removed, audit ``core.personal_data.erased``.
    Objects in the bucket go after the transaction commits (each app's file lifecycle).
    """
    if is_anonymised(user):
        raise AlreadyErased
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        record(
            action="core.personal_data.erased",
            obj=user,
            by=by if by is not None and by.pk != user.pk else None,
            reason=reason,
            guardian=guardian,
            by_self=by is not None and by.pk == user.pk,
        )
        for eraser in sorted(_ERASERS.values(), key=lambda e: (e.order, e.name)):
            eraser.erase(user, by=by)
        _anonymise_account(user)
    return user


def _anonymise_account(user):
    from allauth.account.models import EmailAddress

    token = secrets.token_hex(12)
    user.username = f"{PLACEHOLDER_PREFIX}{token}"
    user.email = f"{PLACEHOLDER_PREFIX}{token}@{PLACEHOLDER_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    if apps.is_installed("allauth.socialaccount"):  # social sign-in, where it is set up
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()
    _end_sessions(user)


def _end_sessions(user):
    """Sign ``user`` out everywhere (database sessions; the cache follows their keys)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            doomed.append(session.session_key)
    for key in doomed:
        store(session_key=key).delete()
