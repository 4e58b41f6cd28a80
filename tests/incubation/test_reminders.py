"""The reminder task: due soon, overdue, missing reports; one reminder per thing per day."""

import datetime as dt

import pytest

from incubation import tasks
from incubation.models import Reminder
from incubation.services import reminders
from incubation.services.milestones import add_milestone
from incubation.services.reports import submit_report
from notifications import events

from .conftest import make_project

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def sent(monkeypatch):
    """Record what reaches notify() while still calling it (a spy, not a stub)."""
    calls = []
    real = reminders.notify

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(reminders, "notify", spy)
    return calls


@pytest.fixture
def at(monkeypatch):
    def set_now(moment):
        monkeypatch.setattr(reminders.timezone, "now", lambda: moment)

    return set_now


def test_reminder_task_twice_sends_one_reminder_per_milestone_per_day(cohort, sent, at):
    project = make_project(cohort, title="Mehr")
    soon = add_milestone(project=project, title="Pilot", due_on=dt.date(2026, 3, 12), by=None)
    overdue = add_milestone(project=project, title="Prototype", due_on=dt.date(2026, 3, 1), by=None)
    add_milestone(project=project, title="Scale", due_on=dt.date(2026, 5, 1), by=None)
    done = add_milestone(project=project, title="Team", due_on=dt.date(2026, 2, 1), by=None)
    done.status = "done"
    done.save()
    # Every period up to February is reported, so only milestones are reminded of.
    for month in (1, 2):
        submit_report(
            project=project, period_start=dt.date(2026, month, 1), narrative="ok", by=None
        )
    at(dt.datetime(2026, 3, 9, 6, 0, tzinfo=UTC))  # 11:00 in Tashkent on the 9th

    tasks.send_incubation_reminders.delay()
    tasks.send_incubation_reminders.delay()

    assert sorted((c["event"], c["obj"].title) for c in sent) == [
        (events.MILESTONE_DUE, "Pilot"),
        (events.MILESTONE_OVERDUE, "Prototype"),
    ]
    assert Reminder.objects.filter(milestone=soon).count() == 1
    assert Reminder.objects.filter(milestone=overdue).count() == 1
    assert sent[0]["recipients"] == [project.owner] or sent[1]["recipients"][0] == project.owner


def test_reminder_task_reminds_again_the_next_tashkent_day(cohort, sent, at):
    project = make_project(cohort)
    add_milestone(project=project, title="Prototype", due_on=dt.date(2026, 1, 5), by=None)

    at(dt.datetime(2026, 1, 20, 18, 0, tzinfo=UTC))  # 23:00 on the 20th in Tashkent
    reminders.send_reminders()
    at(dt.datetime(2026, 1, 20, 18, 59, tzinfo=UTC))  # still the 20th
    reminders.send_reminders()
    at(dt.datetime(2026, 1, 20, 19, 0, tzinfo=UTC))  # midnight: the 21st
    reminders.send_reminders()

    assert [c["event"] for c in sent] == [events.MILESTONE_OVERDUE] * 2
    assert sorted(Reminder.objects.values_list("day", flat=True)) == [
        dt.date(2026, 1, 20),
        dt.date(2026, 1, 21),
    ]


def test_reminder_task_finds_missing_reports_once_a_day(cohort, sent, at):
    reported = make_project(cohort, title="Reported")
    silent = make_project(cohort, title="Silent")
    submit_report(project=reported, period_start=dt.date(2026, 1, 1), narrative="ok", by=None)
    at(dt.datetime(2026, 2, 3, 6, 0, tzinfo=UTC))

    reminders.send_reminders()
    reminders.send_reminders()

    assert [(c["event"], c["obj"].title, c["context"]["period"]) for c in sent] == [
        (events.REPORT_MISSING, "Silent", "2026-01-01")
    ]
    assert sent[0]["recipients"] == [silent.owner]


def test_reminder_task_skips_dropped_and_graduated_projects(cohort, sent, at):
    from incubation.services.projects import move_project

    project = make_project(cohort)
    add_milestone(project=project, title="Prototype", due_on=dt.date(2026, 1, 5), by=None)
    move_project(project=project, stage=cohort.stages.get(slug="dropped"), by=None)
    at(dt.datetime(2026, 2, 3, 6, 0, tzinfo=UTC))

    assert reminders.send_reminders() == 0
    assert sent == []


def test_beat_runs_the_reminder_task():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["incubation.send_reminders"]
    assert entry["task"] == tasks.send_incubation_reminders.name
