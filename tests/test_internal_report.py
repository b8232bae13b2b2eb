"""The internal programme report of tests/data/small, rendered once for this module by `capeval run --internal`:
it exists, is in the manifest, shows each partner's values exactly as the partner's own report (nothing the
release hides there), carries the programme-internal narrative, and never goes into a partner's bundle."""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from capeval.bundle import bundle_reports
from capeval.cli import main
from capeval.report.context import open_report

DATA = Path(__file__).resolve().parent / "data"
CELL = re.compile(r"<td ([^>]*data-partner[^>]*)>([^<]*)</td>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(programme folder, its report folder): partner P1, the programme report and the internal one."""
    root = tmp_path_factory.mktemp("internal")
    programme = root / "small"
    shutil.copytree(DATA / "small", programme, ignore=shutil.ignore_patterns("_store", "_rejected"))
    (programme / "narrative").mkdir(exist_ok=True)
    (programme / "narrative" / "programme-internal.md").write_text(
        "## Summary\n\nOnly for the manager: Beta Board needs a visit.\n", encoding="utf-8"
    )
    params = root / "run.yaml"
    params.write_text(
        f"programme: {programme}\nout: {root / 'reports'}\nunits:\n  partners: [P1]\n  programme: true\n",
        encoding="utf-8",
    )
    assert main(["run", str(params), "--internal", "--quiet", "--workers", "2"]) == 0
    return programme, root / "reports" / "small"


def test_the_internal_report_is_written_and_listed(rendered: tuple[Path, Path]) -> None:
    _, out = rendered
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {(e["kind"], e["unit"]): e for e in manifest["reports"]}
    internal = entries[("internal", "small")]
    assert (internal["status"], internal["path"]) == ("ok", "programme/small-internal.html")
    page = (out / "programme" / "small-internal.html").read_text(encoding="utf-8")
    assert "Internal programme report" in page and "Only for the manager: Beta Board needs a visit." in page
    # the shareable programme report stays as it was: no partner named, not the internal narrative
    shared = (out / "programme" / "small.html").read_text(encoding="utf-8")
    assert "Beta Board needs a visit" not in shared and "Partners at a glance" not in shared


def test_each_partner_cell_is_as_its_own_report_shows_it(rendered: tuple[Path, Path]) -> None:
    programme, out = rendered
    page = (out / "programme" / "small-internal.html").read_text(encoding="utf-8")
    cells = {}
    for attributes, text in CELL.findall(page):  # the page writer may order attributes its own way
        found = dict(ATTRIBUTE.findall(attributes))
        shade = found["class"].split()[-1]
        cells[(found["data-partner"], found["data-indicator"])] = (shade, html.unescape(text))
    assert cells, "the heat map has partner cells"
    hidden = 0
    wave = open_report(str(programme), "programme", "").data["responses"]["wave"].max()  # the overview's wave
    for partner in ("P1", "P2", "P3"):
        ctx = open_report(str(programme), "partner", partner)
        chain = ctx.analyses.chain
        latest = chain[chain["wave"] == wave]
        assert {level for p, level in cells if p == partner} == set(latest["level"])  # no answers: no cell
        for level, mean, n in latest[["level", "mean", "n_respondents"]].to_numpy():
            shade, text = cells[(partner, str(level))]
            if math.isnan(float(mean)):  # NaN: the partner's own report hides it, so must this one
                hidden += 1
                assert (shade, text) == ("heat-hidden", f"hidden (n = {int(n)})")
            else:
                assert text == f"{ctx.n(float(mean))} (n = {int(n)})"
    assert hidden, "tests/data/small has partner cells the release hides; this test must see one"


def test_a_partners_bundle_never_holds_the_internal_report(rendered: tuple[Path, Path]) -> None:
    _, out = rendered
    zipped = bundle_reports(out.parent, "small", partner="P1", with_programme=True, out=out.parent / "p1.zip")
    names = zipfile.ZipFile(zipped).namelist()
    assert "programme/small.html" in names and "partners/P1.html" in names
    assert not [n for n in names if "internal" in n]
    assert "-internal.html" not in zipfile.ZipFile(zipped).read("index.html").decode("utf-8")
