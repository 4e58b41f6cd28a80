"""Demo people's choice vote on the Open Data Challenge: open for a week more, the three
submitted entries in the gallery (their leads consented), 30 votes spread over a day from
different networks and browsers — counted — and one scripted burst of six brand-new
accounts from one network, held back and waiting for review in the admin (People's
choice). Idempotent: skips when the vote already has votes; skips quietly when the
challenge or its entries are not loaded."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from challenges.models import Challenge
from submissions.enums import IN_COMPETITION
from voting.models import GalleryConsent, PeoplesChoice
from voting.services import votes

SLUG = "open-data-challenge"
ORGANIC = 30
BURST = 6
BROWSERS = [
    "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 Chrome/119.0 Mobile",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/119.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 Chrome/118.0 Mobile",
]


def _voter(username, *, joined):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@tanlov.local"}
    )
    if created:
        user.set_unusable_password()
        user.date_joined = joined
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def load(stdout):
    challenge = Challenge.objects.filter(slug=SLUG).first()
    if challenge is None:
        return
    entries = list(challenge.submissions.filter(status__in=IN_COMPETITION).select_related("team"))
    if not entries:
        return
    now = timezone.now()
    peoples_choice, _created = PeoplesChoice.objects.get_or_create(
        challenge=challenge,
        defaults={"opens_at": now - timedelta(days=2), "closes_at": now + timedelta(days=7)},
    )
    if peoples_choice.votes.exists():
        return
    for entry in entries:
        GalleryConsent.objects.get_or_create(
            submission=entry,
            defaults={"given_by": entry.team.lead if entry.team_id else entry.owner},
        )
    # Organic: accounts of various ages, one vote every ~45 minutes over the last day.
    start = max(peoples_choice.opens_at, now - timedelta(hours=24))
    for n in range(ORGANIC):
        cast_at = start + timedelta(minutes=45 * n + 3)
        user = _voter(f"demo-voter{n:02d}", joined=cast_at - timedelta(days=3 + n, hours=n))
        votes.cast_vote(
            peoples_choice=peoples_choice,
            entry=entries[(n * 7) % len(entries) if n % 3 else 0],
            by=user,
            address=f"198.18.{n}.{20 + n}",
            user_agent=BROWSERS[n % len(BROWSERS)],
            now=cast_at,
        )
    # The burst: six accounts signed up minutes before voting, one network, one browser.
    burst_at = now - timedelta(minutes=30)
    target = entries[-1]
    for n in range(BURST):
        cast_at = burst_at + timedelta(seconds=25 * n)
        user = _voter(f"demo-burst{n}", joined=cast_at - timedelta(minutes=4))
        votes.cast_vote(
            peoples_choice=peoples_choice,
            entry=target,
            by=user,
            address=f"203.0.113.{40 + n}",
            user_agent="python-requests/2.31.0",
            now=cast_at,
        )
    summary = votes.tally(peoples_choice)
    stdout.write(
        f"people's choice on {SLUG}: {summary['counted']} counted, {summary['held']} held back"
    )
