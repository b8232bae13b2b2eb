"""A report reads only its unit's slice of the store, and shows the same as from the whole programme."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from capeval import report
from capeval.analysis.redaction import redact_tables, redaction_marks
from capeval.report.context import ReportContext, open_report
from capeval.store import COMPACT_STRING, META, UNIT_HASHES, Store, build_store
from capeval.table_specs import TABLE_ORDER, unit_column

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
RENDERED_AT = re.compile(r'<p class="rendered-at">.*?</p>')  # the clock, not the data


def notebook_sections(kind: str) -> list[str]:
    """The section functions a report notebook calls, in its order (``report.<name>(ctx)``)."""
    cells = json.loads((ROOT / "notebooks" / f"{kind}_report.ipynb").read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return re.findall(r"^report\.(\w+)\(ctx\)", code, flags=re.MULTILINE)


def whole_programme_context(sliced: ReportContext) -> ReportContext:
    """``sliced``'s report built from every table read whole (strings as Python objects) and cut in pandas."""
    store = Store(sliced.store.path)
    members = set(sliced.data.partners["partner_id"].astype(str))
    own = members | ({sliced.unit_id} if sliced.kind == "track" else set())
    tables = {}
    for name in TABLE_ORDER:
        frame = store.table(name)
        column = unit_column(name)
        if name != "partners" and (column is None or sliced.kind == "programme"):
            tables[name] = frame
            continue
        keep = (
            frame["partner_id" if name == "partners" else column]
            .astype(str)
            .isin(members if name == "partners" else own)
        )
        tables[name] = frame[keep].reset_index(drop=True)
    tables = redact_tables(tables, redaction_marks(sliced.language))
    data = replace(sliced.data, tables=tables, partners=tables["partners"])
    return ReportContext(
        store=store, data=data, language=sliced.language, parameters=sliced.parameters, options=sliced.options
    )


def shown(ctx: ReportContext) -> dict[str, str]:
    return {name: RENDERED_AT.sub("", str(getattr(report, name)(ctx))) for name in notebook_sections(ctx.kind)}


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/small (3 partners, 2 tracks) with its store built once for this module."""
    target = tmp_path_factory.mktemp("slices") / "small"
    shutil.copytree(DATA / "small", target, ignore=shutil.ignore_patterns("_store", "_rejected"))
    build_store(target)
    return target


def test_report_shows_the_same_from_its_slice_as_from_the_whole_programme(programme: Path) -> None:
    for kind, unit in (("partner", "P1"), ("track", "T1"), ("programme", "")):
        sliced = open_report(str(programme), kind, unit)  # type: ignore[arg-type]
        sections = shown(sliced)
        assert sections == shown(whole_programme_context(sliced)), kind
        assert "Alpha Agency" in "".join(sections.values()) or kind == "programme"  # the sections ran on data


def test_a_report_reads_only_its_units_rows_and_not_the_programme_wide_files(small: Path) -> None:
    build_store(small)
    ctx = open_report(str(small), "partner", "P2")
    for name, frame in ctx.data.tables.items():
        column = "partner_id" if name == "partners" else unit_column(name)
        if column is not None and column in frame:
            assert set(frame[column].dropna().astype(str)) <= {"P2"}, name
    assert list(ctx.data.partners["partner_id"]) == ["P2"]
    assert not ctx.data["responses"].empty  # P2 answered: its own rows are there
    # neither the whole partners table nor the per-unit hashes were read for this report
    assert "partners" not in ctx.store.__dict__ and "unit_hashes" not in ctx.store.__dict__
    assert "unit_hashes" not in json.loads((small / "_store" / META).read_text(encoding="utf-8"))
    assert json.loads((small / "_store" / UNIT_HASHES).read_text(encoding="utf-8"))["P2"]

    track = open_report(str(small), "track", "T1")
    assert sorted(track.data.partners["partner_id"]) == ["P1", "P2"]
    assert set(track.data["responses"]["partner_id"]) == {"P1", "P2"}
    assert set(track.data["scaling"]["unit_id"]) <= {"P1", "P2", "T1"}
    assert "partners" not in track.store.__dict__


def test_read_rows_keeps_the_rows_of_its_units_as_the_filtered_read_does(programme: Path) -> None:
    store = Store(programme)
    frame = pd.DataFrame(
        {"unit": ["a", "a", "b", "c", "c", "d", "e"], "value": [1.0, 2.0, 3.0, 4.0, None, 6.0, 7.0], "n": range(7)}
    )
    # row groups of two rows: ("a", "a") ("b", "c") ("c", "d") ("e"); units b and d lie in the second and third
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), store.path / "rows.parquet", row_group_size=2)
    try:
        rows = store.read_rows("rows.parquet", "unit", ["d", "b"], compact=True)
        assert list(rows["unit"]) == ["b", "d"] and list(rows["n"]) == [2, 5]
        assert rows["unit"].dtype == COMPACT_STRING and rows["n"].dtype == "int64"
        assert store.read_rows("rows.parquet", "unit", []).columns.tolist() == ["unit", "value", "n"]
        for units in (["d", "b"], ["c"], ["zz"]):
            for compact in (False, True):
                read = store.read("rows.parquet", filters=[("unit", "in", units)], compact=compact)
                pd.testing.assert_frame_equal(store.read_rows("rows.parquet", "unit", units, compact=compact), read)
    finally:
        (store.path / "rows.parquet").unlink()
