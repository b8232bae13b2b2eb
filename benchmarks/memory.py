"""Memory: the peak resident memory of one report process, as the programme grows.

    .venv/bin/python benchmarks/memory.py [--answers 1000000] [--work DIR]

Generates the 200-partner demo programme (``benchmarks/batch.py``), tiles it to about
``--answers`` answers (``benchmarks/scale.py``), builds its store, then renders one partner
report, one track report and the programme report, each in its own process, and prints the
peak resident memory of each process (``peak_mb`` in the manifest, from ``getrusage``),
for the small and the large programme, against its target: a partner report at most 300 MB
(issue 17), a track or programme report under 400 MB (issue 18), whatever the programme's size
(a report reads only its unit's slice, strings as Arrow, and the precomputed benchmarks; the programme
report of the large programme reads the store's results of its answers, not the answers).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch import make_programme  # noqa: E402
from scale import tile_programme  # noqa: E402

TARGET_MB = {"partner": 300, "track": 400, "programme": 400}
ANSWERS_PER_PARTNER = 250  # about, in the generated demo programme


def peak_per_kind(programme: Path, out: Path) -> dict[str, float]:
    """Render one report of each kind of ``programme``; the peak MB of each report's process."""
    from capeval.batch import plan_jobs, run_jobs

    jobs = plan_jobs(programme)
    first = {kind: next(j for j in jobs if j.kind == kind) for kind in ("partner", "track", "programme")}
    result = run_jobs(list(first.values()), out, workers=1, force=True, quiet=True)
    failed = [e.error for e in result.entries if e.status != "ok"]
    assert not failed, failed
    return {e.kind: float(e.peak_mb or 0.0) for e in result.entries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=1_000_000, help="answers of the large programme (about)")
    parser.add_argument("--work", default="build/memory", help="work folder (emptied first)")
    args = parser.parse_args()
    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    small = make_programme(work, 200)
    copies = max(1, round(args.answers / (200 * ANSWERS_PER_PARTNER)))
    big = tile_programme(small, work / f"bench{200 * copies}", copies)
    peaks = {}
    for programme in (small, big):
        answers = len(pd.read_csv(programme / "responses.csv", usecols=["value"]))
        peaks[programme.name] = peak_per_kind(programme, work / f"out-{programme.name}")
        shown = ", ".join(f"{kind} {mb:.0f} MB" for kind, mb in peaks[programme.name].items())
        print(f"{programme.name}: {answers:,} answers; peak memory of a report process: {shown}")
    print()
    for kind, target in TARGET_MB.items():
        worst = max(kinds[kind] for kinds in peaks.values())
        print(f"largest {kind} report process: {worst:.0f} MB  [<= {target} MB]")
    ratio = max(peaks[big.name].values()) / max(peaks[small.name].values())
    print(f"largest report process, {big.name} / bench200: {ratio:.2f}  [about 1]")
    print(f"total benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
