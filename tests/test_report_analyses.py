"""A report computes each of its analyses once, however many sections show it (capeval.report.analyses).

The analysis functions are wrapped (they still run) to count how often the report layer calls them
while every section a notebook calls is drawn, in this process, for one unit of tests/data/small.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from capeval import report
from capeval.store import build_store

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

# each is run by capeval.report.analyses, once per report
COUNTED = (
    "service_gaps",
    "kirkpatrick_chain",
    "pre_post_change",
    "broken_chain",
    "gap_change",
    "criteria_matrix",
    "scaling_scores",
    "recommended_actions",
    "headline_figures",
    "compare_partners",
    "efficiency_figures",
    "activity_totals",
    "self_reported_levels",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("analyses")
    shutil.copytree(DATA / "small", root / "small", ignore=shutil.ignore_patterns("_store", "_rejected"))
    return str(build_store(root / "small"))


def notebook_sections(kind: str) -> list[str]:
    """The sections the report notebook of ``kind`` calls, in order (``report.<name>(ctx)``)."""
    cells = json.loads((ROOT / "notebooks" / f"{kind}_report.ipynb").read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return re.findall(r"\breport\.(\w+)\(ctx\)", source)


def counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Wrap every counted analysis wherever a report module, or the one call of it a report's reader makes
    (capeval/store_aggregates.py), looks it up; return the live counts."""
    calls: Counter[str] = Counter()
    for module_name in ("analyses", *(module for module, _ in report.SECTIONS.values())):
        importlib.import_module(f"capeval.report.{module_name}")
    readers = ("capeval.report.", "capeval.store_aggregates")
    modules = [m for name, m in sys.modules.items() if name.startswith(readers) and m is not None]
    for name in COUNTED:
        for module in modules:
            original = getattr(module, name, None)
            if callable(original):
                monkeypatch.setattr(module, name, _counted(name, original, calls))
    return calls


def _counted(name: str, function: Callable[..., Any], calls: Counter[str]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return function(*args, **kwargs)

    return run


def draw(store: str, kind: str, unit_id: str) -> tuple[report.ReportContext, str]:
    """The report's context and its sections' HTML, drawn as its notebook draws them."""
    ctx = report.open_report(store, kind, unit_id)  # type: ignore[arg-type]
    return ctx, "\n".join(str(getattr(report, name)(ctx)) for name in notebook_sections(kind))


def test_a_partner_report_computes_each_analysis_once(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    ctx, page = draw(store, "partner", "P1")
    assert 'id="gaps"' in page and 'id="actions"' in page  # the sections that share the analyses were drawn
    assert ctx.analyses.chain is ctx.analyses.chain  # computed once, then kept for the report
    # before analyses.py: service_gaps 6 times, kirkpatrick_chain 5, broken_chain and scaling_scores 4, ...
    assert {name: calls[name] for name in COUNTED if calls[name]} == {
        "service_gaps": 1,
        "kirkpatrick_chain": 1,
        "pre_post_change": 1,
        "broken_chain": 1,
        "gap_change": 1,
        "criteria_matrix": 1,
        "scaling_scores": 1,
        "recommended_actions": 1,
        "efficiency_figures": 1,  # the activities and criteria sections both showed it: twice before
        "activity_totals": 1,
        "self_reported_levels": 1,  # the method notes asked again
    }


def test_a_track_report_compares_its_partners_once(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    _, page = draw(store, "track", "T1")
    assert 'id="partners"' in page
    assert calls["compare_partners"] == 1  # the key findings and the partners section share it
    assert calls["kirkpatrick_chain"] == 1  # the Kirkpatrick and the waves sections share it
    assert calls["service_gaps"] <= 1
