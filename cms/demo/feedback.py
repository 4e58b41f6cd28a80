"""Demo feedback and appeals on the COVID-19 Challenge 2020 (docs/judging.md).

The published "Final" round — the shortlist's best entries — gets jurors' comments shared
with the teams (in the jurors' own languages), moderated by staff: most approved, one
softened (the original stays in the audit trail), one withheld; then the feedback is
released. Two teams appeal: one appeal waits for a re-review by a juror who did not judge
the final, the other was dismissed with a written response (in uz/ru/en).

Runs after the results demo. Idempotent: a released round is left as it is.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from cms.demo.judging import SLUG
from cms.demo.results import FINAL_JURORS, FINAL_NAME

# Feedback is released five days after the results (cms/demo/clock.py), the appeals follow.
DEMO_AS_OF = (SLUG, "results", timedelta(days=5))

# (criterion position, text): what the jurors shared, in the language each one writes in.
SHARED = [
    (0, "Loyiha qishloq maktablari uchun aniq foyda keltiradi."),
    (2, "Пилот в двух махаллях убедителен; расширение стоит описать подробнее."),
    (1, "The idea is new for the region; show how you will keep costs down."),
]
UNKIND = "Bu jamoa hech narsani tushunmaydi."  # withheld by staff
HARSH = "Byudjet umuman oʻylanmagan."
SOFTENED = "Byudjetni batafsilroq rejalashtirish tavsiya etiladi."

APPEAL_WAITING = (
    "Hakamlar pilot natijalarimizni koʻrmagan koʻrinadi: ular ilovaning 3-betida. "
    "Пожалуйста, учтите результаты пилота (приложение, стр. 3)."
)
APPEAL_DISMISSED = "Bizning ball «Amalga oshirish» mezoni boʻyicha past: qayta koʻrib chiqing."
RESPONSE = (
    "Apellyatsiyangiz koʻrib chiqildi: baholar qoidalarga muvofiq, oʻzgarishsiz qoladi. / "
    "Апелляция рассмотрена: оценки выставлены по правилам и остаются без изменений. / "
    "Your appeal was reviewed: the scores follow the rules and stay as they are."
)


def _lead(entry):
    return entry.team.lead if entry.team_id and entry.team.lead_id else entry.owner


def load(stdout):
    from challenges.models import Challenge
    from judging.enums import CommentState, RoundStatus
    from judging.models import Appeal, FeedbackComment, Juror, Review, Round, Score
    from judging.services.appeals import decide_appeal, file_appeal, request_rereview
    from judging.services.feedback import collect_comments, moderate, release_feedback
    from judging.services.jurors import is_conflicted

    challenge = Challenge.objects.filter(slug=SLUG).first()
    final = (
        Round.objects.filter(challenge=challenge, name=FINAL_NAME).first() if challenge else None
    )
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    if final is None or final.status != RoundStatus.PUBLISHED or admin is None:
        stdout.write("feedback: no published COVID-19 final; skipped")
        return
    if final.feedback_released_at is not None:
        stdout.write("feedback: the final's feedback is already released")
        return
    entries = [row["entry_id"] for row in sorted(final.publication.rows, key=lambda r: r["rank"])]
    reviews = list(
        Review.objects.filter(round=final, submission_id__in=entries, is_calibration=False)
        .select_related("submission")
        .order_by("submission_id", "juror_id")
    )
    by_entry = {}
    for review in reviews:
        by_entry.setdefault(review.submission_id, []).append(review)
    criteria = list(final.criteria.order_by("position", "id"))
    for index, entry_id in enumerate(entries):
        items = by_entry.get(entry_id, [])
        for review, (position, text) in zip(items, SHARED, strict=False):
            Score.objects.filter(review=review, criterion=criteria[position]).update(
                comment=text, share_comment=True
            )
        if items and index == 1:
            Score.objects.filter(review=items[-1], criterion=criteria[3]).update(
                comment=UNKIND, share_comment=True
            )
        if items and index == 2:
            Review.objects.filter(pk=items[0].pk).update(overall_comment=HARSH, share_overall=True)
    collect_comments(round_=final, by=admin)
    for comment in FeedbackComment.objects.filter(round=final, state=CommentState.PENDING):
        if comment.original == UNKIND:
            moderate(comment=comment, by=admin, action="withhold")
        elif comment.original == HARSH:
            moderate(comment=comment, by=admin, action="edit", text=SOFTENED)
        else:
            moderate(comment=comment, by=admin, action="approve")
    told = release_feedback(round_=final, by=admin)
    final.refresh_from_db()

    from submissions.models import Submission

    shown = Submission.objects.select_related("team__lead", "owner").in_bulk(entries)
    waiting_entry, dismissed_entry = shown[entries[-1]], shown[entries[-2]]
    if not Appeal.objects.filter(round=final).exists():
        waiting = file_appeal(
            round_=final,
            submission=waiting_entry,
            by=_lead(waiting_entry),
            reason=APPEAL_WAITING,
        )
        others = [
            j
            for j in Juror.objects.filter(challenge=challenge, status="active")
            .exclude(user__username__in=FINAL_JURORS)
            .exclude(user__username="juror")
            .select_related("user")
            if j.can_score and not is_conflicted(juror=j, submission=waiting_entry)
        ][:1]
        if others:
            request_rereview(appeal=waiting, by=admin, jurors=others)
        dismissed = file_appeal(
            round_=final,
            submission=dismissed_entry,
            by=_lead(dismissed_entry),
            reason=APPEAL_DISMISSED,
        )
        decide_appeal(appeal=dismissed, by=admin, upheld=False, response=RESPONSE)
    stdout.write(
        f"feedback: released on “{final.name_en}” to {told} entries; "
        f"{Appeal.objects.filter(round=final).count()} appeals (one waiting, one dismissed)"
    )
