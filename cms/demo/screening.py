"""Demo screening of the COVID-19 Challenge 2020 entries: a finished "Screening" round.

Before the jury scores the shortlist, two screeners (the expert and the mentor of the
judging demo) mark every submitted entry eligible or ineligible, through the screening
service: most are eligible, three are ineligible by agreement (incomplete, outside the
topic, a duplicate), and on two the screeners disagreed — staff settled one as ineligible
(the age rules) and one as eligible. The round is then locked, so the staff dashboard
shows a finished round with its counts, and the ineligible entries stay out of the
shortlist (the judging demo runs next and assigns only eligible entries).

Idempotent: the round is found by challenge and name; a demo database judged before this
module existed (entries already past screening) is left as it is.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.demo.incubation import PROJECTS
from cms.demo.judging import JURORS, SLUG, _user

# Screened in the first week of judging, after the submission deadline (cms/demo/clock.py).
DEMO_AS_OF = (SLUG, "judging", timedelta(days=6))

ROUND_NAME = "Dastlabki saralash"
SCREENERS = ("juror.expert", "juror.mentor")
# Entry (by its place among the submitted entries, in id order) → the two screeners'
# verdicts, and staff's decision where they disagree.
INELIGIBLE = {
    3: ("incomplete", "incomplete", None),
    11: ("out_of_scope", "out_of_scope", None),
    19: ("duplicate", "duplicate", None),
    27: ("eligibility", "", ("ineligible", "eligibility")),
    35: ("", "late", ("eligible", "")),
}
NOTES = {
    3: "Yechim va video yoʻq.",
    11: "Loyiha pandemiyaga aloqador emas.",
    19: "“Mehr” loyihasining nusxasi.",
    27: "Jamoa sardori 16 yoshga toʻlmagan.",
    35: "Topshirish vaqti muddatdan oldin: muddatida.",
}


def load(stdout):
    from challenges.models import Challenge
    from judging import selectors
    from judging.enums import JurorStatus, RoundMode, RoundStatus
    from judging.models import Juror, Review, Round
    from judging.services.assignments import auto_assign
    from judging.services.rounds import lock_round, open_round
    from judging.services.screening import decide, staff_decide
    from submissions.enums import SubmissionStatus

    challenge = Challenge.objects.filter(slug=SLUG).first()
    if challenge is None:
        stdout.write("screening: no COVID-19 Challenge demo; skipped")
        return
    existing = Round.objects.filter(challenge=challenge, name=ROUND_NAME).first()
    if existing is not None:
        counts = selectors.screening_counts(existing)
        stdout.write(
            f"screening: round “{existing.name_en}” already there "
            f"({counts['eligible']} eligible, {counts['ineligible']} ineligible)"
        )
        return
    entries = list(selectors.entries_in_scope(Round(challenge=challenge)).order_by("id"))
    if len(entries) < 2:
        stdout.write("screening: the COVID-19 Challenge has no demo entries yet; skipped")
        return
    if any(e.status != SubmissionStatus.SUBMITTED for e in entries):
        stdout.write("screening: the COVID-19 entries were judged before screening; skipped")
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    now = timezone.now()
    round_ = Round.objects.create(
        challenge=challenge,
        name=ROUND_NAME,
        name_ru="Предварительный отбор",
        name_en="Screening",
        mode=RoundMode.SCREENING,
        position=0,
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(hours=1),
        reviews_per_entry=len(SCREENERS),
        status=RoundStatus.DRAFT,
    )
    people = {spec[0]: spec for spec in JURORS}
    screeners = []
    for username in SCREENERS:
        name, email, first, last, _bias, _share = people[username]
        user = _user(name, email, first, last)
        juror, _ = Juror.objects.get_or_create(
            challenge=challenge, email=user.email, defaults={"user": user, "invited_by": admin}
        )
        juror.user = user
        juror.status = JurorStatus.ACTIVE
        juror.accepted_at = juror.accepted_at or now
        juror.confidentiality_signed_at = juror.confidentiality_signed_at or now
        juror.save()
        screeners.append(juror)
    open_round(round_=round_, by=admin)
    auto_assign(round_=round_, by=admin, seed=2020)

    followed = [spec["pattern"] for spec in PROJECTS.values()]
    plans = {}
    for place, entry in enumerate(entries):
        # The projects the incubation demo follows always pass.
        if place in INELIGIBLE and not any(
            p.search(f"{entry.title} {entry.answer('summary')}") for p in followed
        ):
            plans[entry.id] = place
    reviews = Review.objects.filter(round=round_).select_related("juror__user").order_by("id")
    for review in reviews:
        place = plans.get(review.submission_id)
        reason = ""
        if place is not None:
            first, second, _staff = INELIGIBLE[place]
            reason = first if review.juror_id == screeners[0].id else second
        decide(
            review=review,
            by=review.juror.user,
            verdict="ineligible" if reason else "eligible",
            reason=reason,
            note=NOTES.get(place, "") if reason else "",
        )
    for entry_id, place in plans.items():
        settle = INELIGIBLE[place][2]
        if settle is not None:
            verdict, reason = settle
            staff_decide(
                round_=round_,
                submissions=[entry_id],
                by=admin,
                verdict=verdict,
                reason=reason,
                note=NOTES[place],
            )
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
    round_.refresh_from_db()
    lock_round(round_=round_, by=admin)
    counts = selectors.screening_counts(round_)
    stdout.write(
        f"screening: round “{round_.name_en}” finished: {counts['eligible']} eligible, "
        f"{counts['ineligible']} ineligible"
    )
