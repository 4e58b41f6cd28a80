import datetime as dt
from decimal import Decimal

import pytest

from incubation.enums import KpiAggregation
from incubation.kpis import chart, cohort_series
from incubation.services.reports import submit_report

from .conftest import make_project

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def test_cohort_series_sums_projects_per_period_and_totals_by_kind():
    rows = [
        (1, JAN, "users_reached", 100),
        (1, FEB, "users_reached", 250),
        (2, JAN, "users_reached", 40),
        (1, JAN, "revenue", "1000000"),
        (2, FEB, "revenue", "500000.50"),
        (2, MAR, "revenue", 0),
    ]
    kpis = [("users_reached", KpiAggregation.LATEST), ("revenue", KpiAggregation.SUM)]

    result = cohort_series(rows, kpis)

    assert result["users_reached"]["points"] == [(JAN, Decimal(140)), (FEB, Decimal(250))]
    # Stocks: each project's latest value once (250 + 40), not the sum of all periods.
    assert result["users_reached"]["total"] == Decimal(290)
    assert result["revenue"]["points"] == [
        (JAN, Decimal(1000000)),
        (FEB, Decimal("500000.50")),
        (MAR, Decimal(0)),
    ]
    assert result["revenue"]["total"] == Decimal("1500000.50")


def test_cohort_series_of_a_kpi_nobody_reported_is_empty():
    result = cohort_series([], [("jobs_created", KpiAggregation.SUM)])

    assert result == {"jobs_created": {"points": [], "total": Decimal(0)}}


def test_chart_puts_the_highest_value_at_the_top():
    geometry = chart([(JAN, Decimal(50)), (FEB, Decimal(100))], width=200, height=100, pad=10)

    assert [(d["x"], d["y"]) for d in geometry["dots"]] == [(10.0, 50.0), (190.0, 10.0)]
    assert geometry["polyline"] == "10.0,50.0 190.0,10.0"


@pytest.mark.django_db
def test_cohort_page_shows_kpi_totals_across_projects(client, cohort, manager):
    mehr = make_project(cohort, title="Mehr")
    niqob = make_project(cohort, title="Niqob")
    submit_report(
        project=mehr,
        period_start=JAN,
        narrative="Launched.",
        values={"users_reached": 100, "jobs_created": 2},
        by=None,
    )
    submit_report(
        project=mehr,
        period_start=FEB,
        narrative="Growing.",
        values={"users_reached": 300, "jobs_created": 1},
        by=None,
    )
    submit_report(
        project=niqob,
        period_start=FEB,
        narrative="First masks.",
        values={"users_reached": 50, "jobs_created": 3},
        by=None,
    )
    client.force_login(manager)

    response = client.get(f"/admin/incubation/cohorts/{cohort.pk}/")

    charts = {item["kpi"].slug: item for item in response.context["charts"]}
    assert charts["users_reached"]["points"] == [(JAN, 100), (FEB, 350)]
    assert charts["users_reached"]["total"] == 350
    assert charts["jobs_created"]["total"] == 6
    assert charts["revenue"]["points"] == []
    # The charts' section of the admin page (the admin's own icons are SVGs too).
    html = response.content.decode().split('class="kpi-charts"', 1)[1]
    html = html.split('id="missing-heading"', 1)[0]
    assert html.count("<svg") == 2  # users reached and jobs created; nothing else reported
    # Each total says what kind of total it is: stocks count each project's latest value,
    # flows add up over the periods.
    users = html.split('data-kpi="users_reached"', 1)[1].split("</figure>", 1)[0]
    jobs = html.split('data-kpi="jobs_created"', 1)[1].split("</figure>", 1)[0]
    assert "Now, all projects (each project's latest value): <strong>350</strong>" in users
    assert "Total of all periods and projects: <strong>6</strong>" in jobs
    assert "<script" not in html
