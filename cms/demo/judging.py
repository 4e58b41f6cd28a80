"""Demo judging on the COVID-19 Challenge 2020 entries: a "Shortlist" round with weighted
criteria, five jurors (one harsh, one lenient), finished and half-finished reviews.

The round uses the juror-normalised method (the default, which staff can re-check from the
scores CSV): with one harsh and one lenient juror its top 5 differs from the plain mean's.

Idempotent: the round is found by challenge and name; reviews already submitted stay.
It ran in May 2020 and is locked: the demo user ``juror`` left half of their queue undone
when it closed (a draft among them), as happens.
"""

import random
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.demo.users import DEMO_PASSWORD

SLUG = "covid-19-challenge-2020"
ROUND_NAME = "Saralash"
# Scored in the second week of judging, after screening; then closed and locked, like the
# rest of the 2020 challenge (cms/demo/clock.py).
DEMO_AS_OF = (SLUG, "judging", timedelta(days=9, hours=12))

CRITERIA = [
    # name (uz), ru, en, weight, min, max, step, guidance (uz, ru, en)
    (
        "Taʼsir",
        "Влияние",
        "Impact",
        3,
        1,
        10,
        1,
        (
            "Qancha odamga va qanchalik yordam beradi?",
            "Скольким людям и насколько это помогает?",
            "How many people does it help, and how much?",
        ),
    ),
    (
        "Yangilik",
        "Новизна",
        "Innovation",
        2,
        1,
        10,
        1,
        (
            "Gʻoya Oʻzbekiston uchun yangimi?",
            "Нова ли идея для Узбекистана?",
            "Is the idea new for Uzbekistan?",
        ),
    ),
    (
        "Amalga oshirish",
        "Реализуемость",
        "Feasibility",
        2,
        0,
        5,
        Decimal("0.5"),
        (
            "Jamoa uni bir yil ichida qurib, ishlata oladimi?",
            "Сможет ли команда создать и запустить это за год?",
            "Can the team build and run it within a year?",
        ),
    ),
    (
        "Jamoa",
        "Команда",
        "Team",
        1,
        1,
        10,
        1,
        (
            "Jamoada kerakli koʻnikmalar bormi?",
            "Есть ли у команды нужные навыки?",  # noqa: RUF001
            "Does the team have the skills it needs?",
        ),
    ),
]

# username, e-mail, first, last, leniency (points on a 10-point scale), share finished
JURORS = [
    ("juror", "juror@tanlov.local", "Nodira", "Rahimova", 0.0, 0.5),
    ("juror.harsh", "bobur.harsh@tanlov.local", "Bobur", "Qodirov", -2.5, 1.0),
    ("juror.lenient", "lola.lenient@tanlov.local", "Lola", "Saidova", 2.5, 1.0),
    ("juror.expert", "timur.expert@tanlov.local", "Timur", "Nazarov", 0.0, 1.0),
    ("juror.mentor", "gulnora.mentor@tanlov.local", "Gulnora", "Ismoilova", 0.5, 0.6),
]


def _user(username, email, first, last):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def create_criteria(round_):
    """The demo's four weighted criteria (names and guidance in uz/ru/en) on ``round_``."""
    from judging.models import Criterion

    for position, (uz, ru, en, weight, low, high, step, guidance) in enumerate(CRITERIA):
        Criterion.objects.create(
            round=round_,
            position=position,
            name=uz,
            name_ru=ru,
            name_en=en,
            guidance=guidance[0],
            guidance_ru=guidance[1],
            guidance_en=guidance[2],
            weight=weight,
            scale_min=low,
            scale_max=high,
            step=step,
        )


def load(stdout):
    from challenges.models import Challenge
    from judging import selectors
    from judging.enums import JurorStatus, Method, ReviewState, RoundStatus
    from judging.models import Juror, Review, Round
    from judging.services.assignments import auto_assign
    from judging.services.reviews import Answer, open_review, save_review
    from judging.services.rounds import lock_round

    challenge = Challenge.objects.filter(slug=SLUG).first()
    if challenge is None:
        stdout.write("judging: no COVID-19 Challenge demo; skipped")
        return
    if selectors.entries_in_scope(Round(challenge=challenge)).count() < 2:
        stdout.write("judging: the COVID-19 Challenge has no demo entries yet; skipped")
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    now = timezone.now()
    round_, created = Round.objects.get_or_create(
        challenge=challenge,
        name=ROUND_NAME,
        defaults={
            "name_ru": "Отбор",
            "name_en": "Shortlist",
            "opens_at": now - timedelta(days=3),
            "closes_at": now + timedelta(days=14),
            "reviews_per_entry": 3,
            "method": Method.NORMALISED,
            "status": RoundStatus.OPEN,
        },
    )
    if round_.method == Method.BIAS:
        # A demo database from before the default changed: show the current default.
        round_.method = Method.NORMALISED
        round_.save(update_fields=["method"])
    if created:
        create_criteria(round_)
    jurors = {}
    for username, email, first, last, bias, share in JURORS:
        user = _user(username, email, first, last)
        juror, _ = Juror.objects.get_or_create(
            challenge=challenge,
            email=user.email,
            defaults={"user": user, "invited_by": admin},
        )
        juror.user = user
        juror.status = JurorStatus.ACTIVE
        juror.accepted_at = juror.accepted_at or now
        juror.confidentiality_signed_at = juror.confidentiality_signed_at or now
        juror.save()
        jurors[juror.id] = (juror, bias, share)
    if not Review.objects.filter(round=round_).exists():
        auto_assign(round_=round_, by=admin, seed=2020)

    rng = random.Random(2020)  # noqa: S311 -- reproducible demo scores
    criteria = list(round_.criteria.all())
    quality = {}
    reviews = (
        Review.objects.filter(round=round_)
        .select_related("juror", "round", "submission")
        .order_by("juror_id", "queue_key")
    )
    by_juror = {}
    for review in reviews:
        by_juror.setdefault(review.juror_id, []).append(review)
    submitted = 0
    for juror_id, items in by_juror.items():
        juror, bias, share = jurors.get(juror_id, (None, 0.0, 1.0))
        if juror is None:
            continue
        finish = round(len(items) * share)
        for index, review in enumerate(items):
            if round_.status != RoundStatus.OPEN:
                break  # locked by an earlier load
            if review.state == ReviewState.SUBMITTED or index > finish:
                continue
            q = quality.setdefault(review.submission_id, rng.uniform(3.5, 8.5))
            answers = {}
            for c in criteria:
                on_ten = q + bias + rng.gauss(0, 0.8)
                fraction = min(1.0, max(0.0, (on_ten - 1) / 9))
                value = c.scale_min + (c.scale_max - c.scale_min) * Decimal(str(fraction))
                steps = ((value - c.scale_min) / c.step).quantize(Decimal(1))
                value = c.scale_min + steps * c.step
                answers[c.id] = Answer(value=value, comment="Aniq muammo, yaxshi yechim.")
            open_review(review=review)
            done = index < finish
            save_review(
                review=review,
                by=juror.user,
                answers=answers,
                overall_comment="Demo: yaxshi loyiha." if done else "",
                version=review.version,
                submit=done,
            )
            submitted += done
    if round_.status == RoundStatus.OPEN:
        # The jury's time is up: the unfinished reviews stay as they were, the round closes.
        Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
        round_.refresh_from_db()
        lock_round(round_=round_, by=admin)
    rows = selectors.ranking(round_)
    mean_rows = selectors.ranking(round_, method="mean")
    top = [r.entry.title for r in rows if r.ranked.rank][:5]
    top_mean = [r.entry.title for r in mean_rows if r.ranked.rank][:5]
    stdout.write(
        f"judging: round “{round_.name_en}” with {len(jurors)} jurors, "
        f"{submitted} reviews submitted now; top 5 ({round_.method}): {top}; by plain mean: "
        f"{top_mean}"
    )
