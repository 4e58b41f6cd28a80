"""Run a demo step "as of" a moment of a past challenge's timeline.

The COVID-19 Challenge 2020 demo goes through the real services (screening, judging,
publishing, issuing), which date what they record by the clock: status changes, decisions,
reviews, audit entries, notifications, certificates. Loaded today, all of that would say
today — entries submitted in 2020 with results published years later. Inside ``as_of``,
``django.utils.timezone.now`` (which the services, Django's ``auto_now`` fields and the
``default=timezone.now`` fields ask) starts at the given moment and keeps ticking from
there, so a step's rows keep their order and fall where the challenge's own phases say.

A demo module says when it runs with ``DEMO_AS_OF = (challenge slug, phase kind, offset)``;
``load_demo`` runs its ``load`` inside ``as_of`` that moment (``moment_of``), or as usual
when the challenge or the phase is not there.
"""

import time
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.utils import timezone


@contextmanager
def as_of(moment):
    """Within the block the clock shows ``moment`` plus the real time spent in the block.

    Only for loading the demo (one process, nothing else running in it): the clock is the
    module's function, swapped for the block and put back afterwards, whatever happens.
    """
    real_now = timezone.now
    started = time.monotonic()

    def demo_now():
        return moment + timedelta(seconds=time.monotonic() - started)

    # Fields declared with ``default=timezone.now`` hold the function itself (and Django
    # caches it per field): those get the demo clock too.
    defaults = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is real_now
    ]
    timezone.now = demo_now
    _set_default(defaults, demo_now)
    try:
        yield
    finally:
        timezone.now = real_now
        _set_default(defaults, real_now)


def _set_default(fields, clock):
    for field in fields:
        field.default = clock
        field.__dict__.pop("_get_default", None)  # Field caches its default's callable


def moment_of(plan):
    """The moment ``(challenge slug, phase kind, offset)`` names: the phase's start plus
    the offset, or ``None`` when the challenge or the phase is not loaded."""
    from challenges.models import Phase

    slug, kind, offset = plan
    starts_at = (
        Phase.objects.filter(challenge__slug=slug, kind=kind)
        .values_list("starts_at", flat=True)
        .first()
    )
    return None if starts_at is None else starts_at + offset


@contextmanager
def demo_step(module):
    """Run ``module``'s demo step at its ``DEMO_AS_OF`` moment (if it names one)."""
    plan = getattr(module, "DEMO_AS_OF", None)
    moment = moment_of(plan) if plan else None
    if moment is None:
        yield
        return
    with as_of(moment):
        yield
