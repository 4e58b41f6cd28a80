"""What staff read on the judging dashboard: chart labels, grouped flags, scores as numbers."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from judging.models import Review
from judging.templatetags.scores import format_score
from tests.factories import SuperuserFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db

#: 0.6 em per character at the chart's 11 px: a conservative width for digits and signs.
CHAR_PX = 6.6


def _dashboard(client, round_):
    client.force_login(SuperuserFactory())
    response = client.get(reverse("judging_admin:round", args=[round_.id]))
    assert response.status_code == 200
    return response.content.decode()


def test_chart_label_with_two_digit_count_fits_inside_the_svg(client):
    round_ = make_round(
        k=1, criteria=[{"name": "Impact", "weight": 1, "scale_min": 0, "scale_max": 100, "step": 1}]
    )
    entries = make_entries(round_.challenge, 29)
    juror = make_juror(round_.challenge)
    for i, (review, entry) in enumerate(zip(assign(round_, juror, entries), entries, strict=True)):
        assert review.submission == entry
        submit_scores(review, [40 + i])

    page = _dashboard(client, round_)

    svg = re.search(r'<svg class="judging-chart".*?</svg>', page, re.S).group(0)
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    shift = float(re.search(r"translate\(([\d.]+),0\)", svg).group(1))
    x, text = re.search(
        r'<text x="([\d.]+)" y="[\d.]+" dy="4">([^<]*\(n=\d+\))</text>', svg
    ).groups()
    assert text == "54 ± 8.4 (n=29)"
    assert shift + float(x) + len(text) * CHAR_PX <= width


def _fast(review):
    Review.objects.filter(pk=review.pk).update(
        opened_at=timezone.now() - timedelta(seconds=30), submitted_at=timezone.now()
    )


def test_flags_are_grouped_by_kind_with_disagreements_first(client):
    round_ = make_round(k=2, disagreement_threshold=Decimal("30"))
    entries = make_entries(round_.challenge, 6)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    for i, entry in enumerate(entries):
        (ra,) = assign(round_, a, [entry], key_start=i)
        (rb,) = assign(round_, b, [entry], key_start=i)
        submit_scores(ra, [8, 4])
        # the first entry: 1 vs 8 and 0 vs 4, far apart; the others agree
        submit_scores(rb, [1, 0] if i == 0 else [8, 4])
        _fast(ra)
        _fast(rb)

    page = _dashboard(client, round_)

    kinds = re.findall(r'<details class="judging-flags[^"]*" data-flag-kind="(\w+)"', page)
    assert kinds == ["disagreement", "fast"]
    summaries = re.findall(r"<summary><strong>([^<]+)</strong> \((\d+)\)</summary>", page)
    assert summaries == [("reviews disagree", "1"), ("finished in under 3 minutes", "12")]
    assert re.search(r'data-flag-kind="disagreement" open>', page)
    assert re.search(r'data-flag-kind="fast">', page)  # collapsed until staff expand it
    assert page.count(f"{entries[0].title}</a> — ") == 2  # both fast reviews of it, listed


def test_more_than_fifty_flags_of_a_kind_show_a_count_of_the_rest(client):
    round_ = make_round(k=1)
    entries = make_entries(round_.challenge, 53)
    juror = make_juror(round_.challenge)
    for review in assign(round_, juror, entries):
        submit_scores(review, [5, 3])
        _fast(review)

    page = _dashboard(client, round_)

    assert "<summary><strong>finished in under 3 minutes</strong> (53)</summary>" in page
    assert "…and 3 more flagged reviews." in page
    assert "No flags." not in page


def test_no_flags_says_so(client):
    round_ = make_round(k=1)
    (entry,) = make_entries(round_.challenge, 1)
    submit_scores(assign(round_, make_juror(round_.challenge), [entry])[0], [5, 3])

    page = _dashboard(client, round_)

    assert "No flags." in page
    assert "<details" not in page


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (8, 2, "8"),
        (Decimal("8.00"), 2, "8"),
        (Decimal("7.50"), 2, "7.5"),
        (72.333333, 2, "72.33"),
        (72.35, 1, "72.3"),  # binary 72.3499…: the same digit the exports round to
        (0.0, 2, "0"),
        (100.0, 1, "100"),
        (None, 2, ""),
    ],
)
def test_format_score_drops_needless_decimals(value, places, shown):
    with translation.override("en"):
        assert format_score(value, places) == shown


def test_format_score_uses_the_readers_decimal_separator():
    with translation.override("ru"):
        assert format_score(Decimal("7.50")) == "7,5"


def test_integer_scores_show_without_decimals_on_staff_and_juror_pages(client):
    round_ = make_round(k=1)
    (entry,) = make_entries(round_.challenge, 1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    submit_scores(review, [10, 5])
    (half,) = make_entries(round_.challenge, 1)
    submit_scores(assign(round_, juror, [half], key_start=2)[0], [8, "2.5"])

    client.force_login(SuperuserFactory())
    whole = client.get(reverse("judging_admin:entry", args=[round_.id, entry.id])).content.decode()
    halves = client.get(reverse("judging_admin:entry", args=[round_.id, half.id])).content.decode()
    dashboard = _dashboard(client, round_)

    assert re.findall(r"<td>([\d.]+)(?:<br>|</td>)", whole)[:3] == ["10", "5", "100"]
    assert re.findall(r"<td>([\d.]+)(?:<br>|</td>)", halves)[:3] == ["8", "2.5", "68.52"]
    assert "10.00" not in whole
    assert "2.50" not in halves
    assert "<td>100</td>" in dashboard  # the ranking's score
    assert "100.00" not in dashboard


def test_juror_review_form_shows_a_saved_integer_score_as_an_integer(client):
    round_ = make_round(k=1)
    (entry,) = make_entries(round_.challenge, 1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    submit_scores(review, [8, "2.5"])
    Review.objects.filter(pk=review.pk).update(state="draft")
    client.force_login(juror.user)

    page = client.get(
        reverse("judging:review", args=[round_.id, review.id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert 'value="8"' in page
    assert 'value="2.5"' in page
    assert "8.00" not in page


def test_exports_keep_exact_two_decimal_scores(client):
    round_ = make_round(k=1)
    (entry,) = make_entries(round_.challenge, 1)
    (review,) = assign(round_, make_juror(round_.challenge), [entry])
    submit_scores(review, [8, "2.5"])
    client.force_login(SuperuserFactory())

    csv_text = client.get(reverse("judging_admin:export", args=[round_.id, "ranking"])).content
    scores = client.get(reverse("judging_admin:export", args=[round_.id, "scores"])).content

    assert b",68.52," in csv_text
    assert b",8.00," in scores
    assert b",2.50," in scores
