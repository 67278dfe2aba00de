"""`storyline bench scale` on a tiny material written here: the stream it builds, and one run
through the real CLI, pipeline, store and API server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from storyline.bench.scale import CYCLE_DAYS, load_material, stream

TOPICS = {
    "harbour_fire": ("Fire at the {n} harbour warehouse", ("Firefighters in Portvale fought a blaze "
                     "at warehouse {n} on Monday. Mayor Lena Okafor visited the site. The cause is "
                     "under investigation. Shipping was halted for {n} hours. Two workers were "
                     "treated for smoke. The port authority promised a review.")),
    "rail_strike": ("Rail workers strike for {n} days", ("Train drivers in Elmsford stopped work on "
                    "Friday over pay. Union leader Tomas Reyes said talks had failed. Commuters "
                    "crowded onto buses. The ministry offered a {n} percent raise. Services will "
                    "resume next week. Freight trains were not affected.")),
}


def write_material(root: Path) -> Path:
    """Two Timeline17-like topics of dated articles and an ECB+-like JSON Lines file."""
    for topic, (title, body) in TOPICS.items():
        for n in range(1, 5):
            folder = root / "timeline17" / topic / "InputDocs" / f"2011-0{n}-1{n}"
            folder.mkdir(parents=True)
            sentences = body.format(n=n).replace(". ", ".\n")
            (folder / f"{n}.htm.txt").write_text(title.format(n=n) + "\n" + sentences + "\n",
                                                 encoding="utf-8")
    (root / "ecbplus").mkdir()
    records = [{"id": f"1_{n}", "topic": 1, "event": "1a",
                "text": f"http://example.org/{n}\nVolcano {n} erupts near Karsk\n"
                        "Ash closed the airport on Sunday.\nVillagers left their homes.\n"
                        f"Scientists recorded {n} tremors.\nThe army sent trucks."}
               for n in range(3)]
    (root / "ecbplus" / "ecbplus.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return root


def test_stream_recombines_shifts_dates_and_adds_near_duplicates(tmp_path: Path) -> None:
    bases = load_material(write_material(tmp_path))
    assert len(bases) == 11
    records = list(stream(bases, 400))
    assert len(records) == 400
    assert all(not r["text"].startswith("http") for r in records)
    # A near-duplicate keeps its original's title and date; a reused base moves in time.
    seen: set[tuple[str, str]] = set()
    near_duplicates = 0
    for record in records:
        if "published" in record:
            key = (record["title"], record["published"])
            near_duplicates += key in seen
            seen.add(key)
    assert 0.04 * len(records) < near_duplicates < 0.16 * len(records)
    assert len({r["url"] for r in records}) == len(records)
    assert len({r["title"] for r in records}) == 11
    dated = [r["published"] for r in records if "published" in r]
    assert 0.7 * len(records) < len(dated) < len(records)
    days = sorted(date.fromisoformat(day) for day in dated)
    assert (days[-1] - days[0]).days > 20 * CYCLE_DAYS  # 36 uses of the material, each moved
    assert len({r["outlet"] for r in records}) >= 10


def test_cli_runs_on_a_tiny_stream(tmp_path: Path) -> None:
    data = write_material(tmp_path / "data")
    completed = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "scale", "--data", str(data),
         "--articles", "24", "--checkpoints", "12,24", "--probe", "4", "--batch", "4",
         "--requests", "2", "--json"],
        capture_output=True, text=True, check=True, timeout=600,
    )
    result = json.loads(completed.stdout)
    assert result["articles"] == 24
    assert set(result["p95_ms"]) == {"event_page", "events", "search", "timeline"}
    assert all(value > 0 for value in result["p95_ms"].values())
    assert result["articles_per_second"] > 0 and result["cpu_seconds_per_article"] > 0
    assert isinstance(result["exponent"], float) and result["incremental_ratio"] > 0
    assert result["peak_rss_mib"] > 50 and result["db_bytes_per_article"] > 1000
    # Counted after the bench's WAL checkpoint; the raw figure also counts the WAL it emptied.
    assert result["db_bytes_per_article_raw"] > result["db_bytes_per_article"]
    stages = result["stage_cpu_seconds_per_article"]
    assert {"clean", "enrich", "events", "store"} <= set(stages) and stages["events"] > 0
    # Wall and CPU figures side by side; each update ran beside the next batch's ingest.
    assert result["cores_busy"] > 0 and result["articles_per_cpu_second"] > 0
    assert 0 <= result["checkpoints"][-1]["update_wait_seconds"] <= (
        result["checkpoints"][-1]["wall_seconds"])
    assert [p["articles"] for p in result["checkpoints"]] == [12, 24]
    # The event updates and the request phase ran in forked children, each peak told apart.
    last = result["checkpoints"][-1]
    assert 50 < last["peak_update_rss_mib"] <= last["peak_worker_rss_mib"]
    assert 50 < last["peak_requests_rss_mib"] <= last["peak_worker_rss_mib"]
    assert 0 < result["checkpoints"][-1]["stored"] <= 24


def test_cli_says_what_is_missing(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "scale", "--data", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert completed.returncode == 1
    assert "timeline17/ or ecbplus/ecbplus.jsonl" in completed.stderr
