"""A no-change re-run: nothing rendered, no heavy library loaded, no process started, the index still whole.

The small programme rendered once for the session (``rendered_small``) is copied, with its store,
and run again in a fresh interpreter that reports what it imported and which processes it left.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from capeval.batch import store_index
from capeval.index import index_headline, programme_headline
from capeval.store import Store
from capeval.store_meta import HEADLINE, UNITS, read_meta

# what only rendering needs: a run that renders nothing must not pay for loading it
HEAVY = ("seaborn", "matplotlib", "scipy", "pandas", "pyarrow", "numpy", "papermill", "nbconvert", "nbclient")

RERUN = '''
import json, os, sys
from pathlib import Path


def children(pid):
    """The processes whose parent is ``pid`` (a fork server and its resource tracker would be)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if int(rest.split()[1]) == pid:
            found.append(name.split("(", 1)[1])
    return found


if __name__ == "__main__":  # a fork server would import this file again
    from capeval.cli import main

    code = main(["run", "--programme", sys.argv[1], "--out", sys.argv[2], "--quiet"])
    print(json.dumps({"code": code, "modules": sorted(sys.modules), "children": children(os.getpid())}))
'''


@pytest.fixture(scope="module")
def rerun(rendered_small: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], str]:
    """The rendered small programme copied and run again unchanged: (copy's report folder, what the
    re-run reported, the programme index page as first rendered)."""
    root = tmp_path_factory.mktemp("rerun")
    shutil.copytree(rendered_small.parent, root / "copy")  # the programme folder (with its store) and the reports
    out = root / "copy" / "reports"
    first_index = (out / "small" / "index.html").read_text(encoding="utf-8")
    script = root / "rerun.py"
    script.write_text(RERUN, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(root / "copy" / "small"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    return out, json.loads(done.stdout.splitlines()[-1]), first_index


def test_a_no_change_rerun_renders_nothing_and_loads_no_heavy_library(
    rerun: tuple[Path, dict[str, object], str],
) -> None:
    out, seen, _ = rerun
    assert seen["code"] == 0
    reports = json.loads((out / "small" / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert {r["status"] for r in reports} == {"skipped"}
    assert len(reports) == 6  # three partners, two tracks, the programme
    modules = set(seen["modules"])  # type: ignore[arg-type]
    assert [m for m in HEAVY if m in modules] == []


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the process table from /proc")
def test_a_no_change_rerun_starts_no_fork_server_nor_any_process(rerun: tuple[Path, dict[str, object], str]) -> None:
    _, seen, _ = rerun
    assert seen["children"] == []
    assert "capeval.engines.pool" not in seen["modules"]  # type: ignore[operator]


def test_the_index_after_a_rerun_keeps_its_figures_and_counts_the_skipped_reports(
    rerun: tuple[Path, dict[str, object], str],
) -> None:
    out, _, first = rerun
    page = (out / "small" / "index.html").read_text(encoding="utf-8")
    figures = page[page.index('<h2 id="headline">') : page.index('<div class="filters">')]
    assert figures.split('</div><div class="headline"><div><b>')[0] in first  # the programme's figures, unchanged
    assert "Training hours" in figures
    assert "<div><b>0</b>ok</div><div><b>6</b>skipped</div><div><b>0</b>failed</div>" in page


def test_planning_from_the_json_files_gives_the_hashes_and_names_of_the_store(rendered_small: Path) -> None:
    path = rendered_small.parent / "small" / "_store"
    store, index = Store(path), store_index(path)
    assert [p.unit_id for p in index.partners] == ["P1", "P2", "P3"]
    assert [(p.name, p.track_id) for p in index.partners] == [
        ("Alpha Agency", "T1"),
        ("Beta Board", "T1"),
        ("Gamma Group", "T2"),
    ]
    assert [t.unit_id for t in index.tracks] == ["T1", "T2"]
    assert index.members("track", "T1") == ["P1", "P2"]
    for kind, unit in (("partner", "P1"), ("partner", "P3"), ("track", "T1"), ("track", "T2"), ("programme", "small")):
        assert index.unit_hash(kind, unit) == store.unit_hash(kind, unit)  # type: ignore[arg-type]
    assert read_meta(path / UNITS)["store"] == f"{store.meta['input_hash']}:{store.meta['code_hash']}"


def test_the_index_figures_are_worked_out_again_once_the_store_is_written_again(
    rerun: tuple[Path, dict[str, object], str],
) -> None:
    out, _, _ = rerun
    store = out.parent / "small" / "_store"
    kept = read_meta(store / HEADLINE)
    stale = {**kept, "figures": {"en": [["Activities (events)", "999", "a store written before"]]}}
    (store / HEADLINE).write_text(json.dumps(stale), encoding="utf-8")
    assert index_headline(store, "en")[0][1] == "999"  # the same store: the kept figures are shown
    (store / HEADLINE).write_text(json.dumps({**stale, "store": "another:store"}), encoding="utf-8")
    worked_out = index_headline(store, "en")
    assert worked_out == programme_headline(Store(store), "en")
    assert worked_out[0][:2] == ("Activities (events)", "4")
