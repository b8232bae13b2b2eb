"""Size of the rendered reports: min, median and max bytes per kind (partner, track, programme).

Run: .venv/bin/python benchmarks/report_size.py [PROGRAMME ...]. Builds the named demo
programmes (default: all five) in a temporary folder, renders every report with
``capeval run`` defaults, and prints the sizes; the target is at most 300 KB per partner report.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from capeval.demo import DEMO_PROGRAMMES, build_demo
from capeval.parameters import parameters_from
from capeval.pipeline import render_run

TARGET_KB = 300
FOLDERS = {"partner": "partners", "track": "tracks", "programme": "programme"}


def sizes(out: Path) -> dict[str, list[int]]:
    """Bytes of every rendered HTML report under ``out``, per kind."""
    return {kind: sorted(p.stat().st_size for p in out.glob(f"*/{folder}/*.html")) for kind, folder in FOLDERS.items()}


def main(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        for folder in build_demo(Path(tmp) / "demo", only=names or None):
            render_run(parameters_from({"programme": str(folder), "out": str(out)}), quiet=True)
        found = sizes(out)
    print(f"programmes: {', '.join(names or DEMO_PROGRAMMES)}")
    print(f"{'kind':<10} {'n':>4} {'min KB':>8} {'median KB':>10} {'max KB':>8}")
    for kind, values in found.items():
        if values:
            low, mid, high = values[0] / 1024, statistics.median(values) / 1024, values[-1] / 1024
            print(f"{kind:<10} {len(values):>4} {low:>8.1f} {mid:>10.1f} {high:>8.1f}")
    largest = max(found["partner"], default=0) / 1024
    verdict = "within" if largest <= TARGET_KB else "OVER"
    print(f"largest partner report: {largest:.1f} KB, {verdict} the target of {TARGET_KB} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
