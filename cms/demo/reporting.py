"""Demo dates for the programme dashboard: when the demo's entries and teams were started.

The demo is loaded in one go, so every entry, team and membership would be "started"
today while its submission is dated within the challenge's submission phase. This spreads
the start dates over the phase, before each submission (or, for a draft, up to today or
the deadline), so the daily chart reads like a real intake. Deterministic (a random
generator seeded by the entry's id): loading twice gives the same dates. Nothing personal
is added; only dates change.
"""

import random
from datetime import timedelta

from django.utils import timezone

DEMO_SLUGS = ("covid-19-challenge-2020", "technovation-challenge", "open-data-challenge")


def _window(challenge, now):
    phases = {p.kind: p for p in challenge.phases.all()}
    submission = phases.get("submission")
    if submission is None:
        return None
    start = phases["registration"].starts_at if "registration" in phases else submission.starts_at
    return start, min(submission.ends_at, now)


def load(stdout):
    from challenges.models import Challenge
    from submissions.models import Submission, Team, TeamMembership

    now = timezone.now()
    changed = 0
    for challenge in Challenge.objects.filter(slug__in=DEMO_SLUGS).prefetch_related("phases"):
        window = _window(challenge, now)
        if window is None or window[1] <= window[0]:
            continue
        start, end = window
        span = (end - start).total_seconds()
        team_start = {}
        for entry in Submission.objects.filter(challenge=challenge).order_by("id"):
            rng = random.Random(entry.id)  # noqa: S311 -- demo dates
            latest = entry.submitted_at or end
            latest = max(min(latest, end), start)
            room = (latest - start).total_seconds()
            # Started one to fourteen days before submitting, never before the phase.
            before = timedelta(hours=rng.randint(24, 14 * 24))
            created = max(start, latest - before) if room > 0 else start
            if entry.submitted_at is None:
                created = start + timedelta(seconds=rng.random() * span)
            Submission.objects.filter(pk=entry.pk).update(created_at=created)
            changed += 1
            if entry.team_id:
                team_start[entry.team_id] = min(team_start.get(entry.team_id, created), created)
        for team_id, created in team_start.items():
            formed = max(start, created - timedelta(hours=random.Random(team_id).randint(1, 72)))  # noqa: S311
            Team.objects.filter(pk=team_id).update(created_at=formed)
            for i, membership in enumerate(
                TeamMembership.objects.filter(team_id=team_id).order_by("id")
            ):
                TeamMembership.objects.filter(pk=membership.pk).update(
                    joined_at=formed + timedelta(hours=i)
                )
    stdout.write(f"reporting: start dates of {changed} demo entries spread over their phases")
