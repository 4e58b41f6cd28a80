"""Demo results of the COVID-19 Challenge 2020: a "Final" round over six finalists.

Three jurors (the harsh, the lenient and the expert of the shortlist demo) score every
finalist through the review service; the round is locked, the top three become winners —
places 1, 2 and 3 on their certificates — and the ranking is published on the challenge's
results page. The volunteer-matching app and the symptom-detecting face mask, which the
incubation demo follows, are among the winners.

Before it was scored, the final asked its finalists for a follow-up (a pitch video link and
a budget); four of the six answered before its deadline (docs/forms.md, "Follow-up forms").

Runs after the judging demo and before the certificates demo. Idempotent: a published final
round is left as it is (its follow-up is added if missing).
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.demo import submissions as submissions_demo
from cms.demo.incubation import PROJECTS
from cms.demo.judging import JURORS, SLUG, create_criteria

# The final is scored and published early in the results phase (cms/demo/clock.py).
DEMO_AS_OF = (SLUG, "results", timedelta(days=3))

FINAL_NAME = "Final"
FINAL_JURORS = ("juror.harsh", "juror.lenient", "juror.expert")
FINALISTS = 6
# Quality on a 10-point scale: the two incubated projects first, then the rest.
QUALITY = [9.3, 8.9, 8.4, 7.6, 7.1, 6.5]


def _finalists(challenge, shortlist):
    """The two projects incubation follows, then the shortlist's best, six in all."""
    from submissions.enums import SubmissionStatus
    from submissions.models import Submission

    # Entries the screening demo found eligible, or not yet screened.
    pool = list(
        Submission.objects.filter(
            challenge=challenge,
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ELIGIBLE],
        ).order_by("id")
    )
    chosen = []
    for spec in PROJECTS.values():
        match = next(
            (s for s in pool if spec["pattern"].search(f"{s.title} {s.answer('summary')}")), None
        )
        if match is not None and match not in chosen:
            chosen.append(match)
    if shortlist is not None:
        from judging import selectors

        ranked = [r.entry.id for r in selectors.ranking(shortlist) if r.ranked.rank]
        by_id = {s.id: s for s in pool}
        for entry_id in ranked:
            if len(chosen) >= FINALISTS:
                break
            if entry_id in by_id and by_id[entry_id] not in chosen:
                chosen.append(by_id[entry_id])
    for submission in pool:
        if len(chosen) >= FINALISTS:
            break
        if submission not in chosen:
            chosen.append(submission)
    return chosen[:FINALISTS]


def _advanced(final):
    from submissions.models import Submission

    return list(Submission.objects.filter(advancements__round=final).order_by("advancements__id"))


def _score(round_, juror, review, quality, bias, rng):
    from judging.services.reviews import Answer, open_review, save_review

    answers = {}
    for criterion in round_.criteria.all():
        on_ten = quality + bias + rng.gauss(0, 0.4)
        fraction = min(1.0, max(0.0, (on_ten - 1) / 9))
        span = criterion.scale_max - criterion.scale_min
        steps = (span * Decimal(str(fraction)) / criterion.step).quantize(Decimal(1))
        answers[criterion.id] = Answer(
            value=criterion.scale_min + steps * criterion.step,
            comment="Yakuniy baholash: loyiha puxta ishlangan.",
        )
    open_review(review=review)
    save_review(
        review=review,
        by=juror.user,
        answers=answers,
        overall_comment="Final: taqdimot ishonchli.",
        version=review.version,
        submit=True,
    )


FOLLOWUP_QUESTIONS = [
    {
        "clean_name": "pitch_video",
        "field_type": "url",
        "label": "Taqdimot videosi (havola)",
        "label_ru": "Видео-питч (ссылка)",
        "label_en": "Pitch video (link)",
        "help_text": "3 daqiqagacha boʻlgan video: YouTube yoki Google Drive havolasi.",
        "help_text_ru": "Видео до 3 минут: ссылка на YouTube или Google Drive.",
        "help_text_en": "Up to 3 minutes: a YouTube or Google Drive link.",
        "required": True,
    },
    {
        "clean_name": "budget_uzs",
        "field_type": "number",
        "label": "Loyiha byudjeti (mln soʻm)",
        "label_ru": "Бюджет проекта (млн сумов)",
        "label_en": "Project budget (million UZS)",
        "integer_only": True,
        "min_value": 0,
        "max_value": 100000,
        "required": True,
    },
    {
        "clean_name": "budget_plan",
        "field_type": "file",
        "file_kind": "budget_plan",
        "accepted_types": "application/pdf",
        "max_size_mb": 5,
        "label": "Byudjet rejasi (PDF)",
        "label_ru": "План бюджета (PDF)",
        "label_en": "Budget plan (PDF)",
        "help_text": "Ixtiyoriy: xarajatlar jadvali.",
        "help_text_ru": "Необязательно: таблица расходов.",
        "help_text_en": "Optional: a table of the costs.",
        "required": False,
    },
]
FOLLOWUP_ANSWERED = 4
FOLLOWUP_WITH_PLAN = 2  # of the answered ones, those who sent a budget plan


def add_followup(final, finalists, stdout):
    """The final's follow-up form and the answers of the first finalists (idempotent).

    The demo is in the past: the answers are written as sent before the deadline, not
    through the service (which refuses anything after it).
    """
    from challenges.enums import FormStage
    from challenges.models import EntryField
    from judging.models import FollowUpAnswers, Round
    from submissions.services.answers import freeze
    from submissions.services.entries import file_refs

    questions = []
    for order, spec in enumerate(FOLLOWUP_QUESTIONS):
        question, _created = EntryField.objects.get_or_create(
            challenge=final.challenge,
            clean_name=spec["clean_name"],
            defaults={**spec, "stage": FormStage.FOLLOWUP, "sort_order": 500 + order},
        )
        questions.append(question)
    final.followup_questions.set(questions)
    deadline = final.opens_at - timedelta(hours=6)
    Round.objects.filter(pk=final.pk).update(
        followup_deadline=deadline,
        followup_requested_at=deadline - timedelta(days=5),
        followup_intro="Finalchilar: 3 daqiqalik taqdimot videosi va loyiha byudjetini yuboring.",
        followup_intro_ru="Финалисты: пришлите трёхминутный видео-питч и бюджет проекта.",
        followup_intro_en="Finalists: send a three-minute pitch video and your project budget.",
    )
    files = submissions_demo.Files(stdout)
    for index, submission in enumerate(finalists[:FOLLOWUP_ANSWERED]):
        if FollowUpAnswers.objects.filter(round=final, submission=submission).exists():
            continue
        answers = {
            "pitch_video": f"https://www.youtube.com/watch?v=tanlov-demo-{submission.pk}",
            "budget_uzs": [120, 85, 240, 60][index],
        }
        plan = None
        if index < FOLLOWUP_WITH_PLAN:
            plan = files.attach(
                submission,
                kind="budget_plan",
                name=f"{submission.title} - byudjet.pdf",
                body=submissions_demo.pdf_body(
                    submission.title, ["Byudjet rejasi", f"{answers['budget_uzs']} mln so'm"]
                ),
                content_type="application/pdf",
                by=submission.owner,
            )
        FollowUpAnswers.objects.create(
            round=final,
            submission=submission,
            answers=answers,
            frozen=freeze(questions, answers),
            files=file_refs([plan] if plan else []),
            submitted_at=deadline - timedelta(days=index + 1),
            submitted_by=submission.owner,
        )


def load(stdout):
    from challenges.models import Challenge
    from judging.enums import Method, RoundMode, RoundScope, RoundStatus
    from judging.models import Advancement, Juror, Review, Round
    from judging.services.boundary import set_cut
    from judging.services.rounds import advance_entries, lock_round, publish_round
    from submissions.enums import SubmissionStatus
    from submissions.services.status import change_status

    challenge = Challenge.objects.filter(slug=SLUG).first()
    if challenge is None:
        stdout.write("results: no COVID-19 Challenge demo; skipped")
        return
    final = Round.objects.filter(challenge=challenge, name=FINAL_NAME).first()
    if final is not None and final.status == RoundStatus.PUBLISHED:
        add_followup(final, _advanced(final), stdout)
        stdout.write("results: the final round is already published")
        return
    leniency = {username: bias for username, _e, _f, _l, bias, _s in JURORS}
    jurors = list(
        Juror.objects.filter(challenge=challenge, user__username__in=FINAL_JURORS).select_related(
            "user"
        )
    )
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    shortlist = (
        Round.objects.filter(challenge=challenge, mode=RoundMode.SCORED)
        .exclude(name=FINAL_NAME)
        .first()
    )
    finalists = _finalists(challenge, shortlist)
    if len(jurors) < 2 or len(finalists) < 3 or admin is None:
        stdout.write("results: the judging demo has not run; skipped")
        return
    now = timezone.now()
    if final is None:
        final = Round.objects.create(
            challenge=challenge,
            name=FINAL_NAME,
            name_ru="Финал",
            name_en="Final",
            position=2,
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(hours=1),
            scope=RoundScope.ADVANCED,
            previous=shortlist,
            reviews_per_entry=len(jurors),
            method=Method.NORMALISED,
            status=RoundStatus.OPEN,
        )
        create_criteria(final)
    rng = random.Random(2021)  # noqa: S311 -- reproducible demo scores
    for key, (submission, quality) in enumerate(zip(finalists, QUALITY, strict=False)):
        if submission.status != SubmissionStatus.FINALIST:
            change_status(submission=submission, status=SubmissionStatus.FINALIST, by=admin)
        Advancement.objects.get_or_create(
            round=final, submission=submission, defaults={"by": admin}
        )
        for juror in jurors:
            review, _ = Review.objects.get_or_create(
                round=final, juror=juror, submission=submission, defaults={"queue_key": key}
            )
            if review.state != "submitted":
                _score(final, juror, review, quality, leniency.get(juror.user.username, 0), rng)
    add_followup(final, finalists, stdout)
    # Thoughtful reviews: opened well before they were submitted.
    for review in Review.objects.filter(round=final, submitted_at__isnull=False):
        Review.objects.filter(pk=review.pk).update(
            opened_at=review.submitted_at - timedelta(minutes=rng.randint(18, 45))
        )
    Round.objects.filter(pk=final.pk).update(closes_at=timezone.now())
    final.refresh_from_db()
    # Where each round decided, for "How sure the ranking is": the finalists of the
    # shortlist, the three winners of the final — whose published results name the places
    # the jury's scores did not tell apart.
    set_cut(round_=shortlist, rule="top", value=len(finalists), show_margins=False, by=admin)
    set_cut(round_=final, rule="top", value=3, show_margins=True, by=admin)
    lock_round(round_=final, by=admin)
    winners = advance_entries(
        round_=final, by=admin, top_n=3, per_track=False, status=SubmissionStatus.WINNER
    )
    publish_round(round_=final, by=admin)
    _winners_agree_to_publicity(winners)
    stdout.write(f"results: final round published; winners: {[w.title for w in winners]}")


def _winners_agree_to_publicity(winners):
    """Everyone in the winning teams agreed that their names and work may be published:
    open data lists a winner only when every member did (docs/opendata.md)."""
    from submissions.enums import MemberRole
    from submissions.models import Profile, TeamMembership

    teams = [w.team_id for w in winners if w.team_id]
    people = set(
        TeamMembership.objects.filter(team_id__in=teams, role=MemberRole.MEMBER).values_list(
            "user_id", flat=True
        )
    )
    people |= {w.owner_id for w in winners if not w.team_id}
    Profile.objects.filter(user_id__in=people).update(consent_publicity=True)
