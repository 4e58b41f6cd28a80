"""The public results include: winners, finalists and incubated entries; nobody else."""

import pytest
from django.template import Context, Template

from judging.services.rounds import lock_round, publish_round
from submissions.services.status import change_status
from tests.factories import SuperuserFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


def test_incubated_winners_stay_on_the_published_results(settings):
    settings.LANGUAGE_CODE = "en"
    staff = SuperuserFactory()
    round_ = make_round(k=1)
    entries = make_entries(round_.challenge, 4)
    juror = make_juror(round_.challenge)
    for entry, values in zip(entries, [(10, 5), (8, 4), (6, 3), (2, 1)], strict=True):
        submit_scores(assign(round_, juror, [entry])[0], values)
    lock_round(round_=round_, by=staff)
    publish_round(round_=round_, by=staff)
    for entry, status in zip(entries, ["winner", "finalist", "not_selected"], strict=False):
        change_status(submission=entry, status=status, by=staff)
    change_status(submission=entries[0], status="incubated", by=staff)

    html = Template("{% load judging_tags %}{% published_results challenge %}").render(
        Context({"challenge": round_.challenge})
    )
    assert entries[0].title in html
    assert "Incubated" in html
    assert entries[1].title in html
    assert entries[2].title not in html
    assert entries[3].title not in html


def test_the_track_is_named_in_the_readers_language():
    from django.utils import translation

    from tests.factories import TrackFactory

    staff = SuperuserFactory()
    round_ = make_round(k=1)
    track = TrackFactory(challenge=round_.challenge, name="Salomatlik", name_en="Health")
    (entry,) = make_entries(round_.challenge, 1, track=track)
    submit_scores(assign(round_, make_juror(round_.challenge), [entry])[0], (9, 4))
    lock_round(round_=round_, by=staff)
    with translation.override("uz"):
        publish_round(round_=round_, by=staff)  # the frozen row says "Salomatlik"
    change_status(submission=entry, status="winner", by=staff)

    with translation.override("en"):
        html = Template("{% load judging_tags %}{% published_results challenge %}").render(
            Context({"challenge": round_.challenge})
        )
    assert "Health" in html
    assert "Salomatlik" not in html
