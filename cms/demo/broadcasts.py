# ruff: noqa: RUF001 -- Russian demo text: Cyrillic letters are meant, not confusables
"""Demo broadcasts on the Open Data Challenge, written by the demo admin in uz/ru/en: one
already sent to all entrants (its messages in the outbox, its counts on its page) and one
scheduled for three days from now to the teams whose entry is still a draft.

Idempotent: found by (challenge, English subject). Skips quietly without the challenge,
the admin or anyone in the segment. Sending goes through the broadcast services, so the
sent one went through the notifications outbox like any other.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from broadcasts.enums import Segment
from broadcasts.models import Broadcast
from broadcasts.services import segments, sending
from challenges.models import Challenge

SLUG = "open-data-challenge"

SENT = {
    "segment": Segment.ENTRANTS,
    "subject": "Ochiq maʼlumotlar: savol-javob sessiyasi",
    "body": (
        "Hurmatli ishtirokchilar! Payshanba kuni soat 18:00 da onlayn savol-javob sessiyasi "
        "boʻladi: maʼlumotlar toʻplamlari va baholash mezonlari haqida soʻrang."
    ),
    "subject_ru": "Открытые данные: сессия вопросов и ответов",
    "body_ru": (
        "Уважаемые участники! В четверг в 18:00 пройдёт онлайн-сессия вопросов и ответов: "
        "спрашивайте о наборах данных и критериях оценки."
    ),
    "subject_en": "Open data: a questions and answers session",
    "body_en": (
        "Dear participants, on Thursday at 18:00 there is an online questions and answers "
        "session: ask about the data sets and the judging criteria."
    ),
}

SCHEDULED = {
    "segment": Segment.DRAFTS,
    "subject": "Arizangizni yuborishni unutmang",
    "body": "Arizangiz hali qoralama. Muddat tugashidan oldin uni yuboring.",
    "subject_ru": "Не забудьте отправить заявку",
    "body_ru": "Ваша заявка всё ещё черновик. Отправьте её до окончания срока.",
    "subject_en": "Do not forget to submit your entry",
    "body_en": "Your entry is still a draft. Submit it before the deadline.",
}


def _broadcast(challenge, admin, texts):
    found = Broadcast.objects.filter(challenge=challenge, subject_en=texts["subject_en"]).first()
    if found is not None:
        return found, False
    broadcast = Broadcast(challenge=challenge, **texts)
    if not segments.of(broadcast).exists():
        return None, False
    return sending.save(broadcast=broadcast, by=admin), True


def load(stdout):
    challenge = Challenge.objects.filter(slug=SLUG).first()
    admin = get_user_model().objects.filter(username="admin", is_superuser=True).first()
    if challenge is None or admin is None:
        return
    sent, created = _broadcast(challenge, admin, SENT)
    if sent is not None and created:
        sending.schedule(broadcast=sent, by=admin)  # "send now": the task sends it
        sending.deliver(broadcast_id=sent.pk)  # without a worker (eager or not), now
    later, created = _broadcast(challenge, admin, SCHEDULED)
    if later is not None and created:
        sending.schedule(broadcast=later, by=admin, send_at=timezone.now() + timedelta(days=3))
    stdout.write(f"broadcasts: {Broadcast.objects.filter(challenge=challenge).count()}")
