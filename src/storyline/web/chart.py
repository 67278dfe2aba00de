"""The timeline chart as SVG numbers: one bar per date, height = independent sources that day.

Dates sit on a band scale (one slot each, in date order) rather than a linear time scale: a
timeline's dates cluster (nine in one week, one a year later), and a linear scale crowds the nine
into one edge and merges adjacent days. Gaps longer than a day are drawn as breaks, labelled with
their length, so the spacing still tells time. The SVG keeps its natural pixel size (the page
scrolls it sideways on a phone) so labels stay readable instead of shrinking with the viewBox.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

SLOT_MIN = 44
SLOT_MAX = 90
PLOT_WIDTH = 680
BAR_SHARE = 0.6
LEFT = 40
TOP = 16
PLOT_HEIGHT = 120
BOTTOM = 44


def timeline_chart(entries: list[dict[str, Any]]) -> dict[str, Any]:
    points = []
    for entry in entries:
        try:
            day = dt.date.fromisoformat(str(entry["date"])[:10])
        except ValueError:
            continue
        # Timelines made before entries counted their sources fall back to the reports cited.
        sources = entry.get("sources") or len({s.get("article") for s in entry.get("sentences", [])})
        points.append((day, max(1, sources), str(entry["date"])))
    points.sort()
    if not points:
        return {"bars": []}
    slot = min(SLOT_MAX, max(SLOT_MIN, PLOT_WIDTH / len(points)))
    tallest = max(count for _, count, _ in points)
    step = max(1, math.ceil(tallest / 4))
    top_tick = step * math.ceil(tallest / step)
    baseline = TOP + PLOT_HEIGHT
    bars, breaks = [], []
    for index, (day, count, label) in enumerate(points):
        height = PLOT_HEIGHT * count / top_tick
        x = LEFT + slot * index + slot * (1 - BAR_SHARE) / 2
        previous = points[index - 1][0] if index else None
        bars.append({
            "x": round(x, 1), "y": round(baseline - height, 1), "width": round(slot * BAR_SHARE, 1),
            "height": round(height, 1), "count": count, "label": label,
            "anchor": label.replace("-", ""), "day": day.strftime("%d %b").lstrip("0"),
            "year": str(day.year) if previous is None or previous.year != day.year else "",
            "centre": round(LEFT + slot * (index + 0.5), 1),
        })
        if previous is not None and (day - previous).days > 1:
            breaks.append({"x": round(LEFT + slot * index, 1), "days": (day - previous).days})
    return {
        "bars": bars, "breaks": breaks, "width": round(LEFT + slot * len(points) + 8),
        "height": baseline + BOTTOM, "baseline": baseline, "left": LEFT, "top": TOP,
        "ticks": [{"value": v, "y": round(baseline - PLOT_HEIGHT * v / top_tick, 1)}
                  for v in range(0, top_tick + 1, step)],
        "first": points[0][2], "last": points[-1][2],
    }
