"""KPI arithmetic and chart geometry: plain functions over plain data."""

from collections import defaultdict
from decimal import Decimal

from .enums import KpiAggregation


def cohort_series(rows, kpis):
    """Per KPI of a cohort: the per-period totals over all projects and the overall total.

    ``rows`` are ``(project_id, period_start, kpi_slug, value)``; ``kpis`` are
    ``(slug, aggregation)``. Per period, projects' values add up. Overall, flows (SUM)
    add up over every period, while stocks (LATEST) count each project's latest value once.
    """
    by_kpi = defaultdict(list)
    for project_id, period, slug, value in rows:
        by_kpi[slug].append((project_id, period, Decimal(value)))
    result = {}
    for slug, aggregation in kpis:
        per_period = defaultdict(Decimal)
        latest = {}
        for project_id, period, value in by_kpi.get(slug, []):
            per_period[period] += value
            if project_id not in latest or latest[project_id][0] < period:
                latest[project_id] = (period, value)
        if aggregation == KpiAggregation.LATEST:
            total = sum((value for _, value in latest.values()), Decimal(0))
        else:
            total = sum(per_period.values(), Decimal(0))
        result[slug] = {"points": sorted(per_period.items()), "total": total}
    return result


def project_series(rows, kpis):
    """Per KPI of one project: ``[(period, value)]`` in period order."""
    series = {slug: [] for slug, _ in kpis}
    for _, period, slug, value in rows:
        if slug in series:
            series[slug].append((period, Decimal(value)))
    return {slug: sorted(points) for slug, points in series.items()}


def chart(points, *, width=320, height=160, pad=28):
    """Geometry for an inline SVG line chart of ``[(period, value)]``.

    Returns the polyline's points, each dot with its label, and the y-axis maximum; no
    JavaScript and nothing fetched from elsewhere.
    """
    if not points:
        return None
    top = max((value for _, value in points), default=Decimal(0))
    top = top if top > 0 else Decimal(1)
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0
    dots = []
    for i, (period, value) in enumerate(points):
        x = pad + (i * step if len(points) > 1 else inner_w / 2)
        y = pad + inner_h - float(value / top) * inner_h
        dots.append({"x": round(x, 1), "y": round(y, 1), "period": period, "value": value})
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "base_y": pad + inner_h,
        "right_x": width - pad,
        "max": top,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
    }
