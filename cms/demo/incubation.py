"""Demo incubation: a cohort of the COVID-19 Challenge 2020 winners — a volunteer-matching
app and a symptom-detecting face mask — with stages, mentors, support, milestones, two
quarterly reports with KPIs each, and the later reports missing (as staff would see them).

Idempotent: the cohort is found by name, projects by entry, the rest by title or period.
If the submissions/judging demo has not produced the two winners, they are created here.
"""

import datetime as dt
import re
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from challenges.models import Challenge
from incubation.models import Cohort, Milestone, ProgressReport, Support
from incubation.services.cohorts import ensure_defaults
from incubation.services.milestones import add_milestone
from incubation.services.projects import (
    assign_mentor,
    incubate_submission,
    move_project,
    record_support,
)
from incubation.services.reports import comment_on_report, submit_report
from submissions.enums import SubmissionStatus
from submissions.models import Submission, Team, TeamMembership
from submissions.services.status import change_status

from .users import DEMO_PASSWORD

COVID_SLUG = "covid-19-challenge-2020"
COHORT_NAME = "COVID-19 Challenge 2020: inkubatsiya"
# Loaded as staff and teams would have it in early March 2021: both quarterly reports
# (September–November, December–February) are in (cms/demo/clock.py).
DEMO_AS_OF = (COVID_SLUG, "incubation", dt.timedelta(days=263))

PROJECTS = {
    "volunteers": {
        "pattern": re.compile(r"ko[ʻ']?ngilli|volunt|волонт|mehr", re.IGNORECASE),
        "title": "Mehr: koʻngillilar va qariyalar",
        "summary": "A mobile app that matches volunteers with older and vulnerable people in "
        "their mahalla for groceries, medicine and company during the lockdown.",
        "team": "Mehr jamoasi",
        "lead": ("mehr", "Shahzoda", "Nazarova"),
        "stage": "scale",
    },
    "mask": {
        "pattern": re.compile(r"niqob|mask|маск", re.IGNORECASE),
        "title": "Aqlli niqob",
        "summary": "A face mask with sensors that measure temperature and breathing and warn "
        "the wearer's phone about early symptoms.",
        "team": "Aqlli niqob jamoasi",
        "lead": ("niqob", "Jasur", "Ergashev"),
        "stage": "pilot",
    },
}

MILESTONES = {
    "volunteers": [
        ("Android ilovasi doʻkonda", dt.date(2020, 10, 15), "done"),
        ("Toshkentda 10 mahallada ishga tushirish", dt.date(2020, 12, 20), "done"),
        ("Samarqand va Buxoroga kengaytirish", dt.date(2021, 4, 30), "in_progress"),
    ],
    "mask": [
        ("Ishlaydigan prototip", dt.date(2020, 11, 1), "done"),
        ("Poliklinikada 50 ta niqob bilan pilot", dt.date(2021, 2, 28), "in_progress"),
        ("Sertifikatlash uchun hujjatlar", dt.date(2021, 5, 31), "planned"),
    ],
}

# period → (narrative, blockers, KPI values)
REPORTS = {
    "volunteers": {
        dt.date(2020, 9, 1): (
            "The app went live in ten mahallas of Tashkent; 320 volunteers signed up.",
            "Older people without smartphones need a phone line.",
            {
                "users_reached": 1200,
                "beneficiaries": 800,
                "women_beneficiaries": 450,
                "revenue": 0,
                "jobs_created": 3,
            },
        ),
        dt.date(2020, 12, 1): (
            "A call centre with two operators now takes requests by phone.",
            "",
            {
                "users_reached": 4800,
                "beneficiaries": 3100,
                "women_beneficiaries": 1700,
                "revenue": 12000000,
                "jobs_created": 2,
            },
        ),
    },
    "mask": {
        dt.date(2020, 9, 1): (
            "The second prototype measures temperature reliably; breathing sensor in tests.",
            "Sensors are imported and take six weeks to arrive.",
            {
                "users_reached": 150,
                "beneficiaries": 150,
                "women_beneficiaries": 60,
                "revenue": 45000000,
                "jobs_created": 4,
            },
        ),
        dt.date(2020, 12, 1): (
            "Fifty masks are in a pilot at a polyclinic in Chilonzor.",
            "",
            {
                "users_reached": 600,
                "beneficiaries": 600,
                "women_beneficiaries": 290,
                "revenue": 120000000,
                "jobs_created": 3,
            },
        ),
    },
}

SUPPORT = {
    "volunteers": [
        ("grant", "Grant, 1-tranche", Decimal("40000000"), dt.date(2020, 9, 15)),
        ("training", "Product management training", None, dt.date(2020, 10, 5)),
    ],
    "mask": [
        ("grant", "Grant, 1-tranche", Decimal("50000000"), dt.date(2020, 9, 15)),
        ("in_kind", "Laboratory time at IT Park", None, dt.date(2020, 11, 10)),
    ],
}


def _user(username, first, last):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@tanlov.local", "first_name": first, "last_name": last},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def _winner(challenge, key, spec, by):
    """The demo entry for ``key``: an existing winner that fits, or one made here."""
    candidates = Submission.objects.filter(
        challenge=challenge,
        status__in=[
            SubmissionStatus.WINNER,
            SubmissionStatus.FINALIST,
            SubmissionStatus.INCUBATED,
        ],
    ).order_by("id")
    for submission in candidates:
        if spec["pattern"].search(f"{submission.title} {submission.answer('summary')}"):
            return submission
    # The submissions demo's entry with this idea, declared a winner through the service.
    entered = Submission.objects.filter(
        challenge=challenge,
        status__in=[
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.ELIGIBLE,
            SubmissionStatus.SHORTLISTED,
        ],
    ).order_by("id")
    for submission in entered:
        if spec["pattern"].search(f"{submission.title} {submission.answer('summary')}"):
            return change_status(submission=submission, status=SubmissionStatus.WINNER, by=by)
    lead = _user(*spec["lead"])
    team, _ = Team.objects.get_or_create(
        challenge=challenge, name=spec["team"], defaults={"lead": lead}
    )
    TeamMembership.objects.get_or_create(
        challenge=challenge, user=team.lead, defaults={"team": team}
    )
    submission, _ = Submission.objects.get_or_create(
        challenge=challenge,
        team=team,
        defaults={
            "owner": team.lead,
            "title": spec["title"],
            "answers": {"summary": spec["summary"]},
            "status": SubmissionStatus.WINNER,
            "submitted_at": dt.datetime(2020, 5, 15, 12, 0, tzinfo=dt.UTC),
        },
    )
    return submission


@transaction.atomic
def load(stdout):
    challenge = Challenge.objects.filter(slug=COVID_SLUG).first()
    if challenge is None:
        stdout.write("incubation: no COVID-19 Challenge 2020; skipped")
        return
    User = get_user_model()
    manager = (
        User.objects.filter(username="editor").first()
        or User.objects.filter(is_superuser=True).first()
    )
    cohort = Cohort.objects.filter(name=COHORT_NAME).first()
    if cohort is None:
        cohort = Cohort.objects.create(
            name=COHORT_NAME,
            name_ru="Конкурс COVID-19 2020: инкубация",
            name_en="COVID-19 Challenge 2020: incubation",
            starts_on=dt.date(2020, 9, 1),
            ends_on=dt.date(2021, 8, 31),
            report_every_months=3,
        )
    challenge.cohorts.add(cohort)
    if manager is None:
        # Loaded without the demo accounts: the cohort still gets a programme officer, who
        # does the staff steps below through the same services (and their access checks).
        manager = _user("programme", "Dilnoza", "Rahimova")
    manager.managed_cohorts.add(cohort)
    ensure_defaults(cohort=cohort)
    mentor = _user("mentor", "Kamola", "Saidova")

    for key, spec in PROJECTS.items():
        submission = _winner(challenge, key, spec, manager)
        project = getattr(submission, "incubated_project", None)
        if project is None:
            if submission.status == SubmissionStatus.INCUBATED:
                # Marked incubated by hand (not through a cohort): reopen it as a winner.
                Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.WINNER)
                submission.status = SubmissionStatus.WINNER
            project = incubate_submission(cohort=cohort, submission=submission, by=manager)
            for slug in ("prototype", spec["stage"]):
                move_project(project=project, stage=cohort.stages.get(slug=slug), by=manager)
        if not project.mentors.filter(pk=mentor.pk).exists():
            assign_mentor(project=project, mentor=mentor, by=manager)
        for kind, title, amount, given_on in SUPPORT[key]:
            if not Support.objects.filter(project=project, title=title).exists():
                record_support(
                    project=project,
                    kind=kind,
                    title=title,
                    amount=amount,
                    given_on=given_on,
                    by=manager,
                )
        for title, due_on, status in MILESTONES[key]:
            milestone = Milestone.objects.filter(project=project, title=title).first()
            if milestone is None:
                milestone = add_milestone(
                    project=project, title=title, due_on=due_on, owner=project.owner, by=manager
                )
                Milestone.objects.filter(pk=milestone.pk).update(status=status)
        for period, (narrative, blockers, values) in REPORTS[key].items():
            if ProgressReport.objects.filter(project=project, period_start=period).exists():
                continue
            report = submit_report(
                project=project,
                period_start=period,
                narrative=narrative,
                blockers=blockers,
                values=values,
                by=project.owner,
            )
            comment_on_report(
                report=report, body="Good progress; keep the numbers coming.", by=mentor
            )
    stdout.write(
        f"incubation: cohort “{cohort.name_en}” with {cohort.projects.count()} projects "
        f"(mentor login: mentor / {DEMO_PASSWORD})"
    )
