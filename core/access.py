"""The one access layer: "may this person do this to this object?" answered in one place.

Every permission is a predicate of the ``rules`` package, registered by the app that owns
the object (``<app>/rules.py``), composed from a few shared predicates (staff of the
object's challenge, member of its team, its assigned and non-conflicted juror, its mentor).
Three things use them, and nothing else decides access:

1. **Services** start with ``require(by, "judging.score_review", review)``: it raises
   :class:`core.errors.NotAllowed` (a ``PermissionDenied``) when the rule says no, so a
   task, a command or a view calling the service cannot get around it.
2. **Views** fetch the object through :func:`obtain` (or the :func:`with_object`
   decorator, or :class:`ObjectAccessMixin` for class-based views): an object the person
   may not even *see* answers **404**, exactly like a missing id — so ids of other
   challenges and teams leak nothing — and a visible object the person may not *change*
   answers **403**.
3. **Selectors** that list "what this user may see" filter with the same notion of scope
   (one ``*_for(user)``/``managed_by(user)`` queryset per model), so lists and object pages
   agree.

``require`` asks the ``rules`` registry directly, not ``user.has_perm``: Django's
``has_perm`` says yes to every active superuser for every permission, which would let a
superuser score someone else's review. Whether a superuser may do a thing is the
predicate's decision (``is_challenge_manager`` says yes to them; ``is_review_juror`` does
not). Asking for a permission nobody registered is a programming error, not a "no".
"""

from functools import wraps

import rules
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .errors import NotAllowed

__all__ = ["ObjectAccessMixin", "allowed", "explain", "obtain", "require", "with_object"]

#: Permission → what a refused person reads instead of the generic refusal: why, and what
#: they can do instead. Registered next to the rule (``<app>/rules.py``) with ``explain``.
_EXPLANATIONS = {}


def explain(perm, message):
    """Say, for everyone the rule ``perm`` refuses, why and what they can do instead."""
    _EXPLANATIONS[perm] = message


class UnknownPermission(LookupError):
    """A permission name that no app registered (a typo, or a rule that was removed)."""


def allowed(user, perm, obj=None):
    """Whether the rule ``perm`` lets ``user`` act on ``obj`` (``False`` for anonymous
    users unless the rule itself allows them)."""
    if not rules.perm_exists(perm):
        raise UnknownPermission(perm)
    return rules.has_perm(perm, user, obj)


def require(user, perm, obj=None, *, message=None, platform=False):
    """Raise :class:`NotAllowed` unless ``user`` may ``perm`` on ``obj``.

    ``message`` replaces the generic, translated "You are not allowed to do this."
    ``platform=True`` lets ``user=None`` through: the platform itself acting (a scheduled
    task, an operator's management command, the demo loader), for services whose
    ``by=None`` means exactly that. A person is always checked; views always pass one.
    """
    if user is None and platform:
        return
    if user is None or not allowed(user, perm, obj):
        message = message or _EXPLANATIONS.get(perm) or _("You are not allowed to do this.")
        raise NotAllowed(message, code=f"forbidden:{perm}")


def obtain(user, queryset, *, see, do=None, via=None, **lookup):
    """The object ``queryset.get(**lookup)``, checked for ``user``.

    **404** (``Http404``) when it does not exist *or* the user may not ``see`` it — the two
    look the same from outside; then **403** (:class:`NotAllowed`) when ``do`` is given and
    the user may see the object but not do that to it. ``queryset`` may be a model.
    ``via`` names the object the rules are asked about when it is not the fetched one
    (``via="project"``: a milestone is checked as its project), so a part of an object
    never gets a rule of its own that could drift from its owner's.
    """
    if isinstance(queryset, type) and issubclass(queryset, Model):
        queryset = queryset._default_manager.all()
    assert isinstance(queryset, QuerySet), queryset  # noqa: S101 — a programming error
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        # ValueError/TypeError: an id that is not a number reads as "no such object".
        raise Http404 from None
    target = obj if via is None else getattr(obj, via)
    if not allowed(user, see, target):
        raise Http404
    if do is not None:
        require(user, do, target)
    return obj


def with_object(queryset, *, see, do=None, via=None, url_kwarg="pk", field="pk", name=None):
    """Decorate a function view so it receives the checked object instead of an id.

    ``@with_object(Report, see="incubation.view_project_report", url_kwarg="report_id")``
    turns ``view(request, report_id)`` into ``view(request, report)``; ``name`` sets the
    keyword the object arrives as (default: ``url_kwarg`` without a trailing ``_id``/``pk``
    → the model's name). Out of scope → 404; visible but not ``do`` → 403.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            value = kwargs.pop(url_kwarg)
            obj = obtain(request.user, queryset, see=see, do=do, via=via, **{field: value})
            model = obj._meta.model_name
            kwargs[name or model] = obj
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class ObjectAccessMixin:
    """For class-based views with ``get_object``: ``see_permission`` decides 404,
    ``do_permission`` (optional) decides 403; ``get_queryset`` still scopes the lookup."""

    see_permission = None
    do_permission = None

    def get_object(self, *args, **kwargs):
        # *args: Wagtail's history and usage views call get_object() without a queryset.
        obj = super().get_object(*args, **kwargs)
        if self.see_permission is None or not allowed(self.request.user, self.see_permission, obj):
            raise Http404
        if self.do_permission is not None:
            require(self.request.user, self.do_permission, obj)
        return obj
