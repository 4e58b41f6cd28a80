"""Chart geometry for the dashboard's inline SVG: plain numbers the templates draw.

No JavaScript and nothing fetched: each chart is an ``<svg role="img">`` with a title and a
description, scaled by its ``viewBox`` (so it fits 360 px and 1280 px alike), and the same
numbers as a table beside it.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Small enough that text stays readable on a 360 px phone (the chart is scaled to fit).
WIDTH = 300
LABEL_HEIGHT = 16  # a bar chart's label sits above its bar
BAR_HEIGHT = 14
BAR_GAP = 10
COUNT_GAP = 6
COUNT_WIDTH = 40
PLOT_HEIGHT = 160
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 12, 16, 62


def bar_chart(breakdown):
    """A horizontal bar chart of a :class:`~reporting.aggregates.Breakdown`, bars in its
    order (the region chart comes ranked)."""
    # A small cell (an inclusion figure's "fewer than 5") gets no bar: its length would
    # tell the count.
    cells = breakdown.cells
    largest = max((c.count for c in cells if not c.small), default=0) or 1
    span = WIDTH - COUNT_WIDTH
    step = LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    rows = []
    for i, cell in enumerate(cells):
        top = PAD_TOP + i * step
        length = 0 if cell.small else round(span * cell.count / largest, 1)
        rows.append(
            {
                "label": cell.label,
                "count": cell.shown,
                "label_y": top + LABEL_HEIGHT - 4,
                "y": top + LABEL_HEIGHT,
                "text_y": top + LABEL_HEIGHT + BAR_HEIGHT - 2,
                "width": length,
                "count_x": length + COUNT_GAP,
            }
        )
    biggest = max(cells, key=lambda c: c.count, default=None)
    if biggest is None or not biggest.count:
        desc = _("Nothing counted yet.")
    elif breakdown.small_below:
        desc = _("The largest: %(label)s, %(count)s.") % {
            "label": biggest.label,
            "count": biggest.shown,
        }
    else:
        desc = _("%(total)s in all; the largest: %(label)s, %(count)s.") % {
            "total": breakdown.total,
            "label": biggest.label,
            "count": biggest.count,
        }
    return {
        "rows": rows,
        "width": WIDTH,
        "height": PAD_TOP + len(rows) * step,
        "bar_height": BAR_HEIGHT,
        "desc": desc,
    }


def line_chart(timeline):
    """Two lines over the days of a :class:`~reporting.aggregates.Timeline` — entries
    submitted so far and open drafts — with the deadline marked by a dashed line."""
    days = timeline.days
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    largest = max((max(d.drafts_total, d.submitted_total) for d in days), default=0) or 1
    n = max(len(days) - 1, 1)

    def x(i):
        return round(PAD_LEFT + plot_w * i / n, 1)

    def y(value):
        return round(PAD_TOP + PLOT_HEIGHT * (1 - value / largest), 1)

    submitted = " ".join(f"{x(i)},{y(d.submitted_total)}" for i, d in enumerate(days))
    drafts = " ".join(f"{x(i)},{y(d.drafts_total)}" for i, d in enumerate(days))
    deadline_x = None
    deadline_label = ""
    day = timeline.deadline_day
    if day and days and days[0].date <= day <= days[-1].date:
        index = (day - days[0].date).days
        if index is not None:
            deadline_x = x(index)
            deadline_label = _("Deadline %(day)s") % {"day": date_format(day, "SHORT_DATE_FORMAT")}
    ticks = []
    if days:
        shown = sorted({0, len(days) // 2, len(days) - 1})
        for i in shown:
            # The first and last labels read inwards, so neither is cut at the edge.
            anchor = "start" if i == 0 else "end" if i == shown[-1] else "middle"
            label = date_format(days[i].date, "SHORT_DATE_FORMAT")
            ticks.append({"x": x(i), "label": label, "anchor": anchor})
    last = days[-1] if days else None
    if last:
        desc = _(
            "From %(first)s to %(last)s: %(submitted)s entries submitted, %(drafts)s drafts open."
        ) % {
            "first": date_format(days[0].date, "SHORT_DATE_FORMAT"),
            "last": date_format(last.date, "SHORT_DATE_FORMAT"),
            "submitted": last.submitted_total,
            "drafts": last.drafts_total,
        }
        if deadline_label:
            desc = f"{desc} {deadline_label}."
    else:
        desc = _("Nothing counted yet.")
    return {
        "width": WIDTH,
        "height": PAD_TOP + PLOT_HEIGHT + PAD_BOTTOM,
        "left": PAD_LEFT,
        "right": WIDTH - PAD_RIGHT,
        "top": PAD_TOP,
        "bottom": PAD_TOP + PLOT_HEIGHT,
        "tick_y": PAD_TOP + PLOT_HEIGHT + 16,
        "legend_y": PAD_TOP + PLOT_HEIGHT + 36,
        "legend2_y": PAD_TOP + PLOT_HEIGHT + 54,
        "largest": largest,
        "submitted": submitted,
        "drafts": drafts,
        "single": len(days) == 1,
        "first_x": x(0),
        "first_submitted_y": y(days[0].submitted_total) if days else 0,
        "first_drafts_y": y(days[0].drafts_total) if days else 0,
        "deadline_x": deadline_x,
        "deadline_label": deadline_label,
        # The label reads away from the chart's nearer edge.
        "deadline_anchor": "end" if (deadline_x or 0) > WIDTH / 2 else "start",
        "deadline_text_x": (deadline_x or 0) + (-4 if (deadline_x or 0) > WIDTH / 2 else 4),
        "ticks": ticks,
        "desc": desc,
    }
