"""Demo teams and entries with real files (PDFs and PNGs drawn locally) in the demo bucket.

COVID-19 Challenge 2020 (closed): 48 submitted entries and a few drafts, so that judging has
material. Open Data Challenge (open): the demo "participant" leads a team with a draft and a
pitch deck, beside a few submitted entries. Technovation: girls' teams with mentors.

Idempotent: people by username, teams by (challenge, name); files only for entries that
have none. The challenges come from cms/demo/challenges.py; a missing one is skipped.
Entries of a closed challenge are written directly (services refuse changes after the
deadline, rightly), with the same snapshot the submit service freezes.
"""

import hashlib
import io
import random
from contextlib import nullcontext
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from challenges.models import Challenge, District, Region
from challenges.selectors import file_questions
from cms.demo.clock import as_of, moment_of
from cms.demo.forms import answers_for
from core import s3, uploads
from submissions.enums import Disability, FileStatus, MemberRole, SubmissionStatus
from submissions.models import (
    EligibilityException,
    Profile,
    StatusChange,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    TeamMembership,
)
from submissions.services.eligibility import grant_exception
from submissions.services.entries import snapshot

FIRST_NAMES_F = ["Dilnoza", "Madina", "Gulnora", "Nilufar", "Sevara", "Zarina", "Shahzoda"]
FIRST_NAMES_M = ["Aziz", "Bobur", "Jasur", "Sardor", "Otabek", "Sherzod", "Javohir", "Rustam"]
LAST_NAMES = ["Karimov", "Tursunov", "Rahimov", "Yusupov", "Aliyev", "Nazarov", "Qodirov"]

IDEAS = [
    ("Mehr", "volunteers who shop for elderly neighbours"),
    ("Shifo navbat", "queue booking for district clinics"),
    ("Aqlli niqob", "a face mask that detects fever and cough"),
    ("Masofaviy dars", "offline-first lessons over SMS for rural schools"),
    ("Qoʻshni", "a mahalla help board for people in self-isolation"),
    ("Dori xarita", "a map of pharmacies with medicines in stock"),
    ("Tibbiy maslahat", "a Telegram bot that triages symptoms"),
    ("Uydan ish", "remote work matching for young people"),
    ("Toza havo", "ventilation reminders for classrooms"),
    ("Koʻngilli", "a volunteer-matching app for hospitals"),
    ("Ovqat yetkaz", "meal delivery for doctors on shift"),
    ("Ruhiy yordam", "anonymous chat with psychologists"),
]


def pdf_body(title, lines):
    """A one-page PDF with a title and a few lines (Helvetica, ASCII)."""

    def text(value):
        value = value.replace("ʻ", "'").encode("ascii", "replace").decode()
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 26 Tf 60 760 Td ({text(title)}) Tj ET"]
    for n, line in enumerate(lines):
        body.append(f"BT /F1 13 Tf 60 {710 - 22 * n} Td ({text(line)}) Tj ET")
    stream = "\n".join(body).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _png(title, seed):
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 -- demo pictures, not security
    image = Image.new("RGB", (640, 360), (rng.randrange(20, 90), rng.randrange(60, 140), 170))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(0, 560), rng.randrange(0, 280)
        draw.rectangle([x, y, x + 80, y + 80], fill=(255, 255, 255), outline=(0, 0, 0))
    draw.text((24, 24), title.replace("ʻ", "'"), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Files:
    """Puts demo files into the bucket; remembers when S3 is unreachable and stops trying."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.available = True

    def attach(self, submission, *, kind, name, body, content_type, by):
        if not self.available:
            return None
        key = uploads.new_key(f"submissions/{submission.challenge_id}/{submission.pk}")
        try:
            s3.client(timeout=5, attempts=1).put_object(
                Bucket=s3.bucket_name(), Key=key, Body=body, ContentType=content_type
            )
        except Exception as exc:  # noqa: BLE001 -- any S3 failure: demo continues without files
            self.available = False
            self.stdout.write(f"submissions: S3 not reachable ({exc.__class__.__name__}); no files")
            return None
        return SubmissionFile.objects.create(
            submission=submission,
            kind=kind,
            key=key,
            original_name=name,
            content_type=content_type,
            size=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            status=FileStatus.VERIFIED,
            verified_at=timezone.now(),
            uploaded_by=by,
        )


#: Karakalpakstan, where the programme works in particular districts: a third of the demo
#: people live there, whatever region the main random stream gave them.
KARAKALPAKSTAN = "UZ-QR"
#: Answers typed before the district list that match no district: "Unmatched districts".
TYPED_UNMATCHED = ("Nukus sh., 3-mavze", "Chimboy tum. markazi", "Mahalla Yangiobod")


def _inclusion(username, region):
    """Where in the region a demo person lives and their self-declared answer, from a
    stream of their own (the main stream, and so the rest of the demo, stays as it was)."""
    own = random.Random(username)  # noqa: S311 -- deterministic demo data
    if own.random() < 0.33:
        region = Region.objects.filter(code=KARAKALPAKSTAN).first() or region
    districts = list(District.objects.filter(region=region)) if region else []
    found = {"region": region, "district": own.choice(districts) if districts else None}
    if found["district"] is not None and own.random() < 0.04:
        found.update(district=None, district_typed=own.choice(TYPED_UNMATCHED))
    answer = own.random()
    found["disability"] = (
        Disability.YES
        if answer < 0.08
        else Disability.UNDISCLOSED
        if answer < 0.12
        else Disability.NO
        if answer < 0.6
        else ""
    )
    return found


def _person(username, *, rng, female, regions, born, password=None):
    User = get_user_model()
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    last = rng.choice(LAST_NAMES) + ("a" if female else "")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@tanlov.local", "first_name": first, "last_name": last},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "full_name": f"{user.first_name} {user.last_name}",
            "birth_date": born,
            "gender": "female" if female else "male",
            **_inclusion(username, rng.choice(regions) if regions else None),
            "organisation": rng.choice(["TATU", "WIUT", "INHA", "SamDU", "Maktab 110"]),
            "consent_terms": True,
            "consent_privacy": True,
            "consent_publicity": rng.random() < 0.6,
            "guardian_name": "Ota-ona" if born.year > 2008 else "",
            "guardian_contact": "+998900000000" if born.year > 2008 else "",
            "guardian_consent": born.year > 2008,
        },
    )
    return user


def _team(challenge, name, lead, members=(), mentors=()):
    team, _created = Team.objects.get_or_create(
        challenge=challenge, name=name, defaults={"lead": lead}
    )
    for user, role in (
        [(lead, MemberRole.MEMBER)]
        + [(m, MemberRole.MEMBER) for m in members]
        + [(m, MemberRole.MENTOR) for m in mentors]
    ):
        TeamMembership.objects.get_or_create(
            challenge=challenge, user=user, defaults={"team": team, "role": role}
        )
    return team


def _entry(challenge, team, *, title, idea, rng, files, submit, submitted_at=None):
    submission, _created = Submission.objects.get_or_create(
        challenge=challenge,
        team=team,
        defaults={
            "owner": team.lead,
            "title": title,
            "track": rng.choice(list(challenge.tracks.all()) or [None]),
            "answers": {
                "summary": f"{title}: {idea}.",
                "problem": f"People need {idea}.",
                "solution": f"We build {idea}, tested with users in our mahalla.",
                "target_users": "Elderly people, families, doctors and volunteers.",
                "technology": rng.choice(
                    ["Django, Flutter", "Python, Telegram API", "Kotlin, Firebase"]
                ),
                "repository_url": f"https://github.com/tanlov-demo/{team.pk}",
                **answers_for(challenge, rng),
            },
        },
    )
    if not submission.files.exists():
        lines = [idea, f"Team: {team.name}", "Problem, solution, users, plan."]
        files.attach(
            submission,
            kind="pitch_deck",
            name=f"{title} - taqdimot.pdf",
            body=pdf_body(title, lines),
            content_type="application/pdf",
            by=team.lead,
        )
        if rng.random() < 0.5 and file_questions(challenge).filter(file_kind="image").exists():
            files.attach(
                submission,
                kind="image",
                name=f"{title}.png",
                body=_png(title, team.pk),
                content_type="image/png",
                by=team.lead,
            )
    if submit and submission.current_version_id is None:
        data, file_refs = snapshot(submission)
        version = SubmissionVersion.objects.create(
            submission=submission, number=1, data=data, files=file_refs, created_by=team.lead
        )
        if submitted_at is not None:
            SubmissionVersion.objects.filter(pk=version.pk).update(created_at=submitted_at)
        previous = submission.status
        submission.current_version = version
        submission.submitted_at = submitted_at or timezone.now()
        submission.status = SubmissionStatus.SUBMITTED
        submission.save()
        change = StatusChange.objects.create(
            submission=submission,
            from_status=previous,
            to_status=SubmissionStatus.SUBMITTED,
            by=team.lead,
        )
        # Recorded when it was submitted (``at`` is set on creation).
        StatusChange.objects.filter(pk=change.pk).update(at=submission.submitted_at)
    return submission


@transaction.atomic
def load(stdout):
    rng = random.Random(2020)  # noqa: S311 -- deterministic demo data
    regions = list(Region.objects.all())
    files = Files(stdout)
    challenges = {c.slug: c for c in Challenge.objects.prefetch_related("tracks")}
    made = []

    covid = challenges.get("covid-19-challenge-2020")
    if covid is not None:
        # Teams form and enter while the 2020 challenge runs (cms/demo/clock.py).
        opened = moment_of((covid.slug, "registration", timedelta(hours=2)))
        with as_of(opened) if opened else nullcontext():
            # The demo participant was in a 2020 team too: their inbox and certificates are
            # about an entry they were part of.
            alumnus = get_user_model().objects.filter(username="participant").first()
            deadline = (
                covid.phases.filter(kind="submission").values_list("ends_at", flat=True).first()
            )
            for n in range(52):
                female = n % 2 == 0
                lead = _person(
                    f"covid{n:02d}",
                    rng=rng,
                    female=female,
                    regions=regions,
                    born=date(1990 + n % 14, 1 + n % 12, 1 + n % 27),
                )
                members = [
                    _person(
                        f"covid{n:02d}m{k}",
                        rng=rng,
                        female=rng.random() < 0.5,
                        regions=regions,
                        born=date(1992 + (n + k) % 12, 1 + k, 10),
                    )
                    for k in range(n % 3)
                ]
                name, idea = IDEAS[n % len(IDEAS)]
                title = f"{name} {n // len(IDEAS) + 1}" if n >= len(IDEAS) else name
                if n == 1 and alumnus is not None:
                    members.append(alumnus)
                team = _team(covid, f"Jamoa {title}", lead, members)
                submitted_at = (
                    deadline - timedelta(hours=rng.randrange(1, 600)) if deadline else None
                )
                _entry(
                    covid,
                    team,
                    title=title,
                    idea=idea,
                    rng=rng,
                    files=files,
                    submit=n < 48,  # the last four stayed drafts
                    submitted_at=submitted_at,
                )
            made.append("covid-19-challenge-2020: 48 submitted, 4 drafts")

    open_data = challenges.get("open-data-challenge")
    if open_data is not None:
        User = get_user_model()
        participant = User.objects.filter(username="participant").first()
        if participant is not None:
            Profile.objects.get_or_create(
                user=participant,
                defaults={
                    "full_name": f"{participant.first_name} {participant.last_name}".strip()
                    or "Aziz Tursunov",
                    "birth_date": date(2001, 3, 14),
                    "gender": "male",
                    "region": next((r for r in regions if r.code == "UZ-TK"), None),
                    "district": District.objects.filter(code="UZ-TK-chilonzor-district").first(),
                    "consent_terms": True,
                    "consent_privacy": True,
                },
            )
            partner = _person(
                "opendata-sevara", rng=rng, female=True, regions=regions, born=date(2000, 6, 1)
            )
            team = _team(open_data, "Ochiq yoʻl", participant, [partner])
            _entry(
                open_data,
                team,
                title="Ochiq yoʻl",
                idea="bus arrival times from open transport data",
                rng=rng,
                files=files,
                submit=False,
            )
        for n in range(3):
            lead = _person(
                f"opendata{n}", rng=rng, female=n == 1, regions=regions, born=date(1998, 2, 2 + n)
            )
            name, idea = IDEAS[(n + 5) % len(IDEAS)]
            team = _team(open_data, f"Data {name}", lead)
            _entry(
                open_data, team, title=f"{name} data", idea=idea, rng=rng, files=files, submit=True
            )
        made.append("open-data-challenge: the participant's draft, 3 submitted")

    technovation = challenges.get("technovation-challenge")
    if technovation is not None:
        for n in range(2):
            girls = [
                _person(
                    f"techno{n}g{k}",
                    rng=rng,
                    female=True,
                    regions=regions,
                    born=date(2010, 3 + k, 5),
                )
                for k in range(3)
            ]
            mentor = _person(
                f"techno{n}mentor", rng=rng, female=True, regions=regions, born=date(1988, 9, 9)
            )
            team = _team(technovation, f"Qizlar {n + 1}", girls[0], girls[1:], [mentor])
            _entry(
                technovation,
                team,
                title=f"Yordam {n + 1}",
                idea="remote help for people with disabilities",
                rng=rng,
                files=files,
                submit=False,
            )
        # A girl just over the age limit, let in by the programme office (the admin menu
        # "Eligibility exceptions" lists it; she may create a team from the challenge page).
        older = _person(
            "techno-gulnora", rng=rng, female=True, regions=regions, born=date(2007, 1, 15)
        )
        admin = get_user_model().objects.filter(username="admin").first()
        if (
            admin is not None
            and not EligibilityException.objects.filter(challenge=technovation, user=older).exists()
        ):
            grant_exception(
                challenge=technovation,
                user=older,
                reason="Just over the age limit on the reference day; her school's "
                "mentor vouched for her and the programme office agreed.",
                by=admin,
            )
        made.append("technovation-challenge: 2 girls' teams with mentors, 1 exception")

    stdout.write("submissions: " + ("; ".join(made) if made else "no demo challenges found"))
