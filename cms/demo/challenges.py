# ruff: noqa: RUF001, RUF002 -- Russian demo text: Cyrillic letters are meant, not confusables
"""Demo challenges: COVID-19 Challenge 2020 (closed), Technovation Challenge (open for
registration), Open Data Challenge (open for entries) — each a Challenge plus a
ChallengePage in uz/ru/en, with hero images drawn locally by Pillow (no downloads).

Idempotent: challenges are found by slug and pages by slug/translation key; phases of the
two live challenges are set relative to the day of the first load.
"""

import io
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from challenges.enums import ChallengeKind, FileKind, GenderRule, PhaseKind
from challenges.models import Challenge, Phase, Prize, Region, Track
from challenges.services.entry_forms import add_file_question, ensure_default_form
from cms.demo.forms import add_questions
from cms.demo.site import ensure_home_pages
from cms.models import (
    ChallengeIndexPage,
    ChallengePage,
    NewsIndexPage,
    ResultsPage,
    SiteSettings,
    StoriesIndexPage,
)
from cms.pages import ensure_translated_page
from cms.services import ensure_stories_index

TASHKENT = timezone.get_fixed_timezone(5 * 60)

INDEX_TEXT = {
    "uz": {"title": "Tanlovlar", "intro": "Ochiq, kelgusi va yakunlangan tanlovlar."},
    "ru": {"title": "Конкурсы", "intro": "Открытые, предстоящие и завершённые конкурсы."},
    "en": {"title": "Challenges", "intro": "Open, upcoming and finished challenges."},
}
NEWS_TEXT = {
    "uz": {"title": "Natijalar va yangiliklar", "intro": "Gʻoliblar va eʼlonlar."},
    "ru": {"title": "Итоги и новости", "intro": "Победители и объявления."},
    "en": {"title": "Results and news", "intro": "Winners and announcements."},
}


def _p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def _faq(heading, pairs):
    return (
        "faq",
        {
            "heading": heading,
            "questions": [{"question": q, "answer": _p(a)} for q, a in pairs],
        },
    )


def _body(about_heading, about, faq_heading, faq):
    # The call to action is already in the page's header; editors may repeat it lower down
    # with the "call to action" block on long pages.
    blocks = [
        ("heading", {"text": about_heading, "size": "h2"}),
        ("paragraph", _p(*about)),
    ]
    blocks += [("timeline", None), ("eligibility", None), ("prizes", None)]
    blocks.append(_faq(faq_heading, faq))
    blocks.append(
        (
            "partners",
            {
                "heading": "",
                "partners": [
                    {"name": "UNDP Uzbekistan", "url": "https://www.undp.org/uzbekistan"},
                    {"name": "IT Park Uzbekistan", "url": "https://it-park.uz"},
                ],
            },
        )
    )
    return blocks


CHALLENGES = [
    {
        "slug": "covid-19-challenge-2020",
        "title": "COVID-19 Challenge 2020",
        "title_ru": "Конкурс COVID-19 2020",
        "title_en": "COVID-19 Challenge 2020",
        "kind": ChallengeKind.INNOVATION,
        "organiser": "UNDP Uzbekistan",
        "min_age": 16,
        "max_age": 35,
        "team_max_size": 5,
        "colours": ((11, 92, 171), (30, 107, 52)),
        "phases": "2020",
        "tracks": [
            ("ijtimoiy", "Ijtimoiy yordam", "Социальная помощь", "Social support"),
            ("salomatlik", "Salomatlik", "Здоровье", "Health"),
        ],
        "prizes": [
            (1, "Birinchi oʻrin", "Первое место", "First place", Decimal("50000000")),
            (2, "Ikkinchi oʻrin", "Второе место", "Second place", Decimal("30000000")),
            (3, "Uchinchi oʻrin", "Третье место", "Third place", Decimal("15000000")),
        ],
        "pages": {
            "uz": {
                "title": "COVID-19 Challenge 2020",
                "intro": "Pandemiya davrida odamlarga yordam beradigan yechimlar tanlovi: "
                "600 dan ortiq ariza, koʻngillilarni topish ilovalari va alomatlarni "
                "aniqlovchi niqob gʻoliblar qatorida.",
                "about": [
                    "2020-yil bahorida karantin hayotimizni oʻzgartirdi. Biz yoshlarni "
                    "qariyalar, nogironligi boʻlgan odamlar va shifokorlarga yordam "
                    "beradigan raqamli yechimlar yaratishga chaqirdik.",
                    "Tanlovga barcha viloyatlardan 600 dan ortiq ariza kelib tushdi. "
                    "Gʻoliblar inkubatsiya dasturida oʻz loyihalarini rivojlantirishdi.",
                ],
                "faq": [
                    ("Tanlov yakunlanganmi?", "Ha, natijalar eʼlon qilingan."),
                    ("Gʻoliblar nima oldi?", "Pul mukofoti va inkubatsiya dasturi."),
                ],
                "about_heading": "Tanlov haqida",
                "faq_heading": "Koʻp soʻraladigan savollar",
            },
            "ru": {
                "title": "Конкурс COVID-19 2020",
                "intro": "Конкурс решений, которые помогают людям во время пандемии: более "
                "600 заявок, среди победителей — приложения для поиска волонтёров и маска, "
                "распознающая симптомы.",
                "about": [
                    "Весной 2020 года карантин изменил нашу жизнь. Мы пригласили молодёжь "
                    "создать цифровые решения для пожилых людей, людей с инвалидностью и врачей.",
                    "На конкурс поступило более 600 заявок из всех регионов. Победители "
                    "развивали свои проекты в программе инкубации.",
                ],
                "faq": [
                    ("Конкурс завершён?", "Да, итоги объявлены."),
                    ("Что получили победители?", "Денежные призы и программу инкубации."),
                ],
                "about_heading": "О конкурсе",
                "faq_heading": "Частые вопросы",
            },
            "en": {
                "title": "COVID-19 Challenge 2020",
                "intro": "A challenge for solutions that help people through the pandemic: "
                "600+ entries, with volunteer-matching apps and a symptom-detecting face "
                "mask among the winners.",
                "about": [
                    "In spring 2020 the lockdown changed our lives. We invited young people "
                    "to build digital solutions for older people, people with disabilities "
                    "and doctors.",
                    "More than 600 entries came in from every region. The winners developed "
                    "their projects further in the incubation programme.",
                ],
                "faq": [
                    ("Is the challenge over?", "Yes, the results have been announced."),
                    ("What did the winners receive?", "Cash prizes and incubation support."),
                ],
                "about_heading": "About the challenge",
                "faq_heading": "Frequently asked questions",
            },
        },
    },
    {
        "slug": "technovation-challenge",
        "title": "Technovation Challenge",
        "title_ru": "Technovation Challenge",
        "title_en": "Technovation Challenge",
        "kind": ChallengeKind.GIRLS_TECH,
        "organiser": "UNDP Uzbekistan, Technovation Girls",
        "min_age": 10,
        "max_age": 18,
        "gender_rule": GenderRule.WOMEN_AND_GIRLS,
        "team_min_size": 1,
        "team_max_size": 5,
        "individual_entries": False,
        "mentor_required": True,
        "colours": ((122, 31, 162), (11, 92, 171)),
        "phases": "registration",
        "tracks": [
            ("junior", "Kichiklar (10–14)", "Юниоры (10–14)", "Junior (10–14)", 10, 14),
            ("senior", "Kattalar (15–18)", "Старшие (15–18)", "Senior (15–18)", 15, 18),
        ],
        "prizes": [
            (1, "Kichiklar: 1-oʻrin", "Юниоры: 1 место", "Junior: first place", None),
            (1, "Kattalar: 1-oʻrin", "Старшие: 1 место", "Senior: first place", None),
        ],
        "pages": {
            "uz": {
                "title": "Technovation Challenge",
                "intro": "10–18 yoshli qizlar uchun tanlov: 5 kishigacha boʻlgan jamoa va "
                "murabbiy bilan zaif guruhlarga masofadan yordam beradigan ilova yarating.",
                "about": [
                    "Technovation — qizlarni texnologiya va tadbirkorlikka olib kiradigan "
                    "xalqaro dastur. Jamoalar muammoni tanlaydi, mobil ilova yaratadi va "
                    "biznes-rejasini taqdim etadi.",
                    "Kichiklar (10–14) va kattalar (15–18) alohida baholanadi. Har bir "
                    "jamoada murabbiy boʻlishi shart.",
                ],
                "faq": [
                    ("Dasturlashni bilishim kerakmi?", "Yoʻq, barcha kerakli darslar beriladi."),
                    ("Murabbiy kim boʻlishi mumkin?", "Oʻqituvchi, ota-ona yoki IT mutaxassisi."),
                ],
                "about_heading": "Tanlov haqida",
                "faq_heading": "Koʻp soʻraladigan savollar",
            },
            "ru": {
                "title": "Technovation Challenge",
                "intro": "Конкурс для девочек 10–18 лет: в команде до 5 человек и с "
                "наставником создайте приложение для дистанционной помощи уязвимым группам.",
                "about": [
                    "Technovation — международная программа, которая приводит девочек в "
                    "технологии и предпринимательство. Команды выбирают проблему, создают "
                    "мобильное приложение и представляют бизнес-план.",
                    "Юниоры (10–14) и старшие (15–18) оцениваются отдельно. У каждой "
                    "команды должен быть наставник.",
                ],
                "faq": [
                    ("Нужно ли уметь программировать?", "Нет, все нужные уроки мы дадим."),
                    ("Кто может быть наставником?", "Учитель, родитель или IT-специалист."),
                ],
                "about_heading": "О конкурсе",
                "faq_heading": "Частые вопросы",
            },
            "en": {
                "title": "Technovation Challenge",
                "intro": "A challenge for girls aged 10–18: in a team of up to five with a "
                "mentor, build an app that helps vulnerable people remotely.",
                "about": [
                    "Technovation is an international programme that brings girls into "
                    "technology and entrepreneurship. Teams pick a problem, build a mobile "
                    "app and present a business plan.",
                    "Junior (10–14) and Senior (15–18) teams are judged separately. Every "
                    "team needs a mentor.",
                ],
                "faq": [
                    ("Do I need to know how to code?", "No, we provide every lesson you need."),
                    ("Who can be a mentor?", "A teacher, a parent or an IT professional."),
                ],
                "about_heading": "About the challenge",
                "faq_heading": "Frequently asked questions",
            },
        },
    },
    {
        "slug": "open-data-challenge",
        "title": "Open Data Challenge",
        "title_ru": "Конкурс открытых данных",
        "title_en": "Open Data Challenge",
        "kind": ChallengeKind.OPEN_DATA,
        "organiser": "UNDP Uzbekistan, data.egov.uz",
        "min_age": 16,
        "max_age": 30,
        "team_max_size": 4,
        "colours": ((8, 69, 127), (0, 128, 128)),
        "phases": "submission",
        "tracks": [
            ("shahar", "Shahar xizmatlari", "Городские сервисы", "City services"),
            ("talim", "Taʼlim", "Образование", "Education"),
        ],
        "prizes": [
            (1, "Birinchi oʻrin", "Первое место", "First place", Decimal("40000000")),
            (2, "Ikkinchi oʻrin", "Второе место", "Second place", Decimal("25000000")),
        ],
        "pages": {
            "uz": {
                "title": "Open Data Challenge",
                "intro": "Ochiq maʼlumotlar asosida fuqarolar uchun foydali xizmat yarating: "
                "transport, taʼlim, ekologiya va boshqalar.",
                "about": [
                    "Har yili oʻtkaziladigan tanlov ochiq davlat maʼlumotlaridan "
                    "foydalanib, odamlar hayotini yaxshilaydigan yechimlarni qidiradi.",
                    "Loyihangizda kamida bitta ochiq maʼlumotlar toʻplamidan foydalaning "
                    "va manba kodini taqdim eting.",
                ],
                "faq": [
                    (
                        "Qaysi maʼlumotlardan foydalansa boʻladi?",
                        "data.egov.uz va boshqa ochiq manbalar.",
                    ),
                    ("Yakka ishtirok etsa boʻladimi?", "Ha, yakka yoki 4 kishilik jamoada."),
                ],
                "about_heading": "Tanlov haqida",
                "faq_heading": "Koʻp soʻraladigan savollar",
            },
            "ru": {
                "title": "Конкурс открытых данных",
                "intro": "Создайте полезный для граждан сервис на основе открытых данных: "
                "транспорт, образование, экология и не только.",
                "about": [
                    "Ежегодный конкурс ищет решения, которые улучшают жизнь людей с "
                    "помощью открытых государственных данных.",
                    "Используйте в проекте хотя бы один открытый набор данных и приложите "
                    "исходный код.",
                ],
                "faq": [
                    (
                        "Какие данные можно использовать?",
                        "data.egov.uz и другие открытые источники.",
                    ),
                    ("Можно участвовать одному?", "Да, одному или в команде до 4 человек."),
                ],
                "about_heading": "О конкурсе",
                "faq_heading": "Частые вопросы",
            },
            "en": {
                "title": "Open Data Challenge",
                "intro": "Build a service citizens can use, on top of open data: transport, "
                "education, the environment and more.",
                "about": [
                    "This annual challenge looks for solutions that improve people's lives "
                    "using open government data.",
                    "Use at least one open data set in your project and submit its source code.",
                ],
                "faq": [
                    ("Which data may I use?", "data.egov.uz and other open sources."),
                    ("May I enter alone?", "Yes, alone or in a team of up to four."),
                ],
                "about_heading": "About the challenge",
                "faq_heading": "Frequently asked questions",
            },
        },
    },
]

RESULTS_TEXT = {
    "uz": {
        "title": "COVID-19 Challenge 2020: gʻoliblar",
        "intro": "Koʻngillilarni qariyalar bilan bogʻlovchi ilova va alomatlarni aniqlovchi "
        "aqlli niqob birinchi oʻrinlarni egalladi.",
    },
    "ru": {
        "title": "Конкурс COVID-19 2020: победители",
        "intro": "Первые места заняли приложение, связывающее волонтёров с пожилыми людьми, "
        "и умная маска, распознающая симптомы.",
    },
    "en": {
        "title": "COVID-19 Challenge 2020: the winners",
        "intro": "An app that matches volunteers with older people and a smart mask that "
        "detects symptoms took the top places.",
    },
}


def _phase_plan(plan, now):
    day = timedelta(days=1)
    kinds = [k.value for k in PhaseKind]
    if plan == "2020":
        start = datetime(2020, 4, 1, 9, 0, tzinfo=TASHKENT)
        offsets = [(0, 14), (14, 45), (45, 60), (60, 75), (75, 240)]
        return [
            (kind, start + a * day, start + b * day)
            for kind, (a, b) in zip(kinds, offsets, strict=True)
        ]
    today = now.astimezone(TASHKENT).replace(hour=0, minute=0, second=0, microsecond=0)
    if plan == "registration":  # registration is running
        offsets = [(-7, 21), (21, 60), (60, 75), (75, 90), (90, 270)]
    else:  # submission is running
        offsets = [(-30, -10), (-10, 25), (25, 40), (40, 55), (55, 235)]
    rows = []
    for kind, (a, b) in zip(kinds, offsets, strict=True):
        ends = today + b * day - timedelta(minutes=1)  # deadlines at 23:59 Tashkent time
        rows.append((kind, today + a * day + timedelta(hours=9), ends))
    return rows


def _hero_image(slug, title, colours):
    """A 1200×630 abstract banner drawn with Pillow (same image for every language)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    if Collection.get_first_root_node() is None:  # a flushed database (transactional tests)
        Collection.add_root(name="Root")
    width, height = 1200, 630
    (r1, g1, b1), (r2, g2, b2) = colours
    canvas = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(canvas)
    for x in range(width):
        t = x / (width - 1)
        colour = (int(r1 + (r2 - r1) * t), int(g1 + (g2 - g1) * t), int(b1 + (b2 - b1) * t))
        draw.line([(x, 0), (x, height)], fill=colour)
    seed = sum(map(ord, slug))
    for i in range(9):
        radius = 40 + (seed * (i + 3)) % 160
        cx = (seed * (i + 7) * 37) % width
        cy = (seed * (i + 11) * 53) % height
        draw.ellipse(
            [cx - radius, cy - radius, cx + radius, cy + radius],
            outline=(255, 255, 255),
            width=6,
        )
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.jpg")
    image.save()
    return image


def _ensure_challenge(spec, now, regions):
    challenge = Challenge.objects.filter(slug=spec["slug"]).first()
    if challenge is not None:
        return challenge, False
    fields = {
        key: spec[key]
        for key in (
            "title",
            "title_ru",
            "title_en",
            "kind",
            "organiser",
            "min_age",
            "max_age",
            "gender_rule",
            "team_min_size",
            "team_max_size",
            "individual_entries",
            "mentor_required",
        )
        if key in spec
    }
    challenge = Challenge.objects.create(slug=spec["slug"], **fields)
    for kind, starts, ends in _phase_plan(spec["phases"], now):
        Phase.objects.create(challenge=challenge, kind=kind, starts_at=starts, ends_at=ends)
    tracks = {}
    for order, row in enumerate(spec["tracks"]):
        slug, name, name_ru, name_en, *ages = row
        tracks[slug] = Track.objects.create(
            challenge=challenge,
            slug=slug,
            name=name,
            name_ru=name_ru,
            name_en=name_en,
            min_age=ages[0] if ages else None,
            max_age=ages[1] if ages else None,
            sort_order=order,
        )
    track_list = list(tracks.values())
    for order, (place, title, title_ru, title_en, amount) in enumerate(spec["prizes"]):
        track = None
        if spec["slug"] == "technovation-challenge":
            track = track_list[order]
        Prize.objects.create(
            challenge=challenge,
            place=place,
            title=title,
            title_ru=title_ru,
            title_en=title_en,
            amount=amount,
            track=track,
            sort_order=order,
        )
    ensure_default_form(
        challenge=challenge, required={"repository_url": spec["kind"] == ChallengeKind.OPEN_DATA}
    )
    add_file_question(challenge=challenge, kind=FileKind.PITCH_DECK, required=True, max_size_mb=20)
    if spec["kind"] == ChallengeKind.OPEN_DATA:
        add_file_question(challenge=challenge, kind=FileKind.SOURCE, required=True, max_size_mb=50)
    add_questions(challenge)
    return challenge, True


@transaction.atomic
def load(stdout):
    now = timezone.now()
    homes = ensure_home_pages()
    indexes = ensure_translated_page(homes, ChallengeIndexPage, slug="challenges", texts=INDEX_TEXT)
    news = ensure_translated_page(homes, NewsIndexPage, slug="news", texts=NEWS_TEXT)
    ensure_stories_index()
    stories = StoriesIndexPage.objects.all()  # every language's, linked from the menu too
    for page in [*indexes.values(), *news.values(), *stories]:
        if not page.show_in_menus:
            page.show_in_menus = True
            page.save_revision().publish()
    regions = list(Region.objects.all())

    editor = get_user_model().objects.filter(username="editor").first()
    managers_group = Group.objects.filter(name="Challenge managers").first()
    if editor is not None and managers_group is not None:
        editor.groups.add(managers_group)

    created = []
    for spec in CHALLENGES:
        challenge, new = _ensure_challenge(spec, now, regions)
        if new:
            created.append(challenge.slug)
        if editor is not None:
            challenge.managers.add(editor)
        image = _hero_image(spec["slug"], spec["title_en"], spec["colours"])
        texts = {}
        for code, text in spec["pages"].items():
            texts[code] = {
                "title": text["title"],
                "intro": text["intro"],
                "search_description": text["intro"],
                "body": _body(
                    text["about_heading"], text["about"], text["faq_heading"], text["faq"]
                ),
            }
        ensure_translated_page(
            indexes,
            ChallengePage,
            slug=spec["slug"],
            texts=texts,
            challenge=challenge,
            hero_image=image,
        )
        if spec["slug"] == "covid-19-challenge-2020":
            result_texts = {
                code: {
                    **text,
                    "search_description": text["intro"],
                    "body": [("rankings", None)],
                }
                for code, text in RESULTS_TEXT.items()
            }
            ensure_translated_page(
                news,
                ResultsPage,
                slug="covid-19-challenge-2020-winners",
                texts=result_texts,
                challenge=challenge,
                date=datetime(2020, 6, 20, tzinfo=TASHKENT).date(),
                hero_image=image,
            )

    site_settings = SiteSettings.for_site(homes["uz"].get_site())
    if not site_settings.contact_email:
        site_settings.contact_email = "tanlov@undp.org"
        site_settings.phone = "+998 71 120 34 50"
        site_settings.address = "Toshkent, Taras Shevchenko koʻchasi, 4"
        site_settings.address_ru = "Ташкент, улица Тараса Шевченко, 4"
        site_settings.address_en = "4 Taras Shevchenko Street, Tashkent"
        site_settings.telegram_url = "https://t.me/undpuzbekistan"
        site_settings.save()
    stdout.write(
        f"challenges: {len(CHALLENGES)} (new: {', '.join(created) or 'none'}), pages in uz/ru/en"
    )
