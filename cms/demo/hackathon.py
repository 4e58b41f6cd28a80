"""Demo weekend hackathon (slug ``demo-hackathon``): hacking ran from Saturday morning to
two hours ago, the expo judging is on. 12 places for 18 people who registered — 12 hold a
place (10 confirmed, 2 offered and still to confirm), 6 wait on the waitlist in order —
several looking for a team with skills and an idea, two teams with open roles, a pending
request, and 8 people checked in at the door. The demo participant (``participant``) holds
a confirmed place and is looking for a team; the editor (a challenge manager) runs the
check-in desk at /en/hackathons/demo-hackathon/check-in/.

Made through the services (register, confirm, check in) while the registration window was
open, then the window is closed. Idempotent: skips when the event already has people.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from challenges.enums import FormStage
from challenges.models import Challenge, EntryField, Phase, Region, Track
from cms.models import ChallengeIndexPage, ChallengePage
from cms.pages import ensure_translated_page
from hackathons.models import Event, OpenRole, TeamRequest
from hackathons.services import checkin, registration, teammates
from submissions.enums import MemberRole
from submissions.models import Profile, Team, TeamMembership

from .challenges import _hero_image
from .submissions import _person

SLUG = "demo-hackathon"
CAPACITY = 12
PEOPLE = 17  # and the demo participant: 18 registrations
CHECKED_IN = 8
SKILLS = [
    (["backend", "data"], "python, django", "Ochiq maʼlumotlardan avtobus kelish vaqtlari"),
    (["design"], "figma", "Fermerlarga sugʻorishni rejalashtirishda yordam beradigan ilova"),
    (["mobile", "frontend"], "flutter", ""),
    (["hardware"], "arduino", "Maktab sinflari uchun havo sifati sensorlari"),
    (["business"], "pitching", ""),
    (["data"], "pandas", "Navbat vaqtlari koʻrsatilgan poliklinikalar xaritasi"),
]
#: The hackathon's public page, in the challenge list of every language.
PAGE_TEXT = {
    "uz": {
        "title": "Toshkent dam olish kuni xakatoni",
        "intro": "48 soat: jamoa tuzing, shahar va qishloq uchun yechim yarating, "
        "hakamlar oldida stolingizda taqdim eting.",
    },
    "ru": {
        "title": "Ташкентский хакатон выходного дня",
        "intro": "48 часов: соберите команду, создайте решение для города и села и "
        "представьте его жюри у своего стола.",  # noqa: RUF001
    },
    "en": {
        "title": "Tashkent Weekend Hackathon",
        "intro": "48 hours: form a team, build for the city and the countryside, and "
        "present at your table while the judges walk the room.",
    },
}


def _page(challenge):
    indexes = {
        page.locale.language_code: page
        for page in ChallengeIndexPage.objects.select_related("locale")
    }
    if "uz" not in indexes:
        return
    texts = {
        code: {**text, "search_description": text["intro"]}
        for code, text in PAGE_TEXT.items()
        if code in indexes
    }
    image = _hero_image(SLUG, PAGE_TEXT["en"]["title"], ((196, 90, 17), (11, 92, 171)))
    ensure_translated_page(
        indexes, ChallengePage, slug=SLUG, texts=texts, challenge=challenge, hero_image=image
    )


def _timeline(challenge, now):
    hour = timedelta(hours=1)
    plan = [
        ("registration", now - 14 * 24 * hour, now - 3 * 24 * hour),
        ("submission", now - 2 * 24 * hour, now - 2 * hour),  # Saturday 9:00 → two hours ago
        ("judging", now - 2 * hour, now + 24 * hour),
        ("results", now + 24 * hour, now + 10 * 24 * hour),
    ]
    for kind, starts, ends in plan:
        Phase.objects.create(challenge=challenge, kind=kind, starts_at=starts, ends_at=ends)


#: The application questions (the entry form builder's, asked when registering).
APPLICATION_QUESTIONS = [
    {
        "clean_name": "tajriba",
        "field_type": "single_choice",
        "label": "Tajribangiz",
        "label_ru": "Ваш опыт",
        "label_en": "Your experience",
        "choices": "Birinchi xakatonim\nBir-ikki marta qatnashganman\nTajribali ishtirokchiman",
        "choices_ru": "Мой первый хакатон\nУчаствовал(а) раз-другой\nОпытный участник",  # noqa: RUF001 -- Russian text
        "choices_en": "My first hackathon\nBeen once or twice\nSeasoned hacker",
        "required": True,
        "visibility": "staff",
    },
    {
        "clean_name": "noutbuk",
        "field_type": "yes_no",
        "label": "Oʻz noutbukingizni olib kelasizmi?",
        "label_ru": "Вы придёте со своим ноутбуком?",  # noqa: RUF001 -- Russian text
        "label_en": "Will you bring your own laptop?",
        "visibility": "staff",
    },
]


def _application_questions(challenge):
    return [
        EntryField.objects.get_or_create(
            challenge=challenge,
            clean_name=spec["clean_name"],
            defaults={**spec, "stage": FormStage.APPLICATION, "sort_order": 300 + order},
        )[0]
        for order, spec in enumerate(APPLICATION_QUESTIONS)
    ]


def load(stdout):
    now = timezone.now()
    challenge = Challenge.objects.filter(slug=SLUG).first()
    if challenge is None:
        challenge = Challenge.objects.create(
            slug=SLUG,
            title="Toshkent dam olish kuni xakatoni",
            title_ru="Ташкентский хакатон выходного дня",
            title_en="Tashkent Weekend Hackathon",
            kind="hackathon",
            organiser="IT Park Uzbekistan",
            min_age=16,
            team_min_size=2,
            team_max_size=4,
        )
        _timeline(challenge, now)
        for slug, uz, ru, en in (
            ("civic", "Fuqarolik texnologiyalari", "Гражданские технологии", "Civic tech"),
            ("agri", "Qishloq xoʻjaligi", "Сельское хозяйство", "Agritech"),
        ):
            Track.objects.create(challenge=challenge, slug=slug, name=uz, name_ru=ru, name_en=en)
    User = get_user_model()
    editor = User.objects.filter(username="editor").first()
    if editor is not None:
        challenge.managers.add(editor)
    event, _created = Event.objects.get_or_create(
        challenge=challenge,
        defaults={
            "venue": "IT Park, Mirzo Ulugʻbek koʻchasi 1, Toshkent",
            "registration_opens": now - timedelta(days=14),
            "registration_closes": now + timedelta(days=1),  # closed again below
            "capacity": CAPACITY,
            "hours_to_confirm": 48,
            "question": "Nima yaratmoqchisiz?",
            "certificates_need_checkin": True,
        },
    )
    _page(challenge)
    questions = _application_questions(challenge)
    if event.registrations.exists():
        return
    rng = random.Random(SLUG)  # noqa: S311 -- deterministic demo data
    regions = list(Region.objects.order_by("code"))
    tracks = list(challenge.tracks.order_by("slug"))
    people = []
    participant = User.objects.filter(username="participant").first()
    if participant is not None and Profile.objects.filter(user=participant).exists():
        people.append(participant)
    for n in range(1, PEOPLE + 1):
        people.append(
            _person(
                f"hacker{n:02d}",
                rng=rng,
                female=n % 2 == 0,
                regions=regions,
                born=date(1996 + n % 9, 1 + n % 12, 10),
            )
        )
    rows = []
    for n, user in enumerate(people):
        rows.append(
            registration.register(
                event=event,
                by=user,
                track=tracks[n % len(tracks)] if tracks else None,
                answer=SKILLS[n % len(SKILLS)][2] or "Universitetim uchun qulay vosita",
                answers={
                    "tajriba": questions[0].choice_list()[n % 3][0],
                    "noutbuk": "yes" if n % 4 else "no",
                },
            )
        )
    # Ten confirm, two of the offers still wait for an answer; the rest are waitlisted.
    holders = [r for r in rows if r.state == "offered"]
    for row in holders[:10]:
        registration.confirm(registration=row, by=row.user)
    for n, row in enumerate(holders[:10]):
        skills, tags, idea = SKILLS[n % len(SKILLS)]
        if n in (0, 2, 3, 5, 7, 9):
            teammates.save_listing(
                registration=row, looking=True, skills=skills, tags=tags, idea=idea, by=row.user
            )
    # The first ones through the door (not the demo participant: their QR code is unused).
    arrived = [r for r in holders[:10] if r.user != participant][:CHECKED_IN]
    for row in arrived if editor is not None else []:
        checkin.check_in(event=event, registration=row, by=editor)
    # Two teams formed at the opening, each still looking for someone.
    for lead_row, member_row, name, role, skills in (
        (holders[1], holders[4], "Suv tejash", "Mobil dasturchi", ["mobile"]),
        (holders[6], holders[8], "Shahar xaritasi", "Dizayner", ["design"]),
    ):
        team = Team.objects.create(challenge=challenge, name=name, lead=lead_row.user)
        for user in (lead_row.user, member_row.user):
            TeamMembership.objects.create(
                team=team, challenge=challenge, user=user, role=MemberRole.MEMBER
            )
        OpenRole.objects.create(team=team, title=role, skills=skills)
    TeamRequest.objects.create(
        team=team, registration=holders[2], from_team=True, created_by=holders[6].user
    )
    event.registration_closes = now - timedelta(days=3)
    event.save(update_fields=["registration_closes"])
    stdout.write(
        f"{SLUG}: {len(rows)} registered for {CAPACITY} places "
        f"({registration.waitlist(event).count()} waitlisted), "
        f"{event.registrations.filter(check_in__isnull=False).count()} checked in"
    )
