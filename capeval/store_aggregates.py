"""What a programme report computes from the answers, computed once when the store is written.

A programme report at a million answers cannot hold them under 400 MB (the answers take 95 MB, and each
grouping of them another 80-120 MB for a moment). So the store, when it is written, runs every analysis
the programme report runs on the answers, on the same frames the report would read (the store's tables,
strings as Arrow) and at the programme's own ``min_group_size``, and keeps each result as
``agg_<name>.parquet``; the programme report reads those and never the answers (:meth:`StoredResults.result`).
A report at another threshold, or whose redaction changed a table the analyses read, computes them from the
answers as before: the same function, so the same numbers either way.

Each entry of :data:`ANSWER_RESULTS` is the one call of an analysis that a report's reader makes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from capeval.analysis.activities import respondents_per_wave
from capeval.analysis.blocks import dimension_scores, event_reach
from capeval.analysis.compare import (
    HeadlineFigures,
    compare_partners,
    compare_tracks,
    headline_figures,
    waves_over_years,
)
from capeval.analysis.criteria import criteria_matrix, evidence_sources
from capeval.analysis.interventions import criteria_by_type, levels_by_type, top_two_by_type
from capeval.analysis.kirkpatrick import kirkpatrick_chain, kirkpatrick_dimensions, pre_post_change
from capeval.analysis.respondents import count_respondents
from capeval.analysis.synthesis import track_chains
from capeval.schema import ProgrammeConfig

Tables = Mapping[str, pd.DataFrame]
AnswerResult = Callable[[Tables, ProgrammeConfig, int], pd.DataFrame]
AGGREGATE_FROM = 100_000  # answers from which the store writes them: below, a programme report holds its answers
# a report's strings as Arrow strings with NaN for missing (pandas 3's default str): 1 M answers take 90 MB, not
# 280 MB as Python objects; equal values, equal results (tests/test_store_slices.py)
COMPACT_STRING = pd.StringDtype("pyarrow", na_value=np.nan)
PREFIX = "agg_"
STRINGS_KEY = b"capeval_strings"


def large_strings(schema: pa.Schema) -> pa.Schema:
    """``schema`` with its strings as large strings, the form pandas keeps Arrow strings in (no copy to convert)."""
    large = pa.schema([f.with_type(pa.large_string()) if f.type == pa.string() else f for f in schema])
    return large.with_metadata(schema.metadata)


def compact_frame(table: pa.Table) -> pd.DataFrame:
    """``table`` as a DataFrame, strings as :data:`COMPACT_STRING`, each Arrow column freed once converted."""
    strings = {pa.string(): COMPACT_STRING, pa.large_string(): COMPACT_STRING}.get
    frame: pd.DataFrame = table.to_pandas(types_mapper=strings, split_blocks=True, self_destruct=True)
    return frame


def read_compact(path: Path, filters: Any = None) -> pd.DataFrame:
    """A Parquet file as a report reads it: strings as :data:`COMPACT_STRING` (read as large strings)."""
    schema = pq.read_schema(path)
    return compact_frame(pq.read_table(path, filters=filters, schema=large_strings(schema)))


def result_metadata(frame: pd.DataFrame) -> dict[bytes, bytes]:
    """What Parquet's pandas metadata does not say of ``frame``: which columns are pandas strings (storage
    and missing value), so that :func:`read_result` gives back the frame the analysis returned, types and all."""
    strings = {
        str(name): [dtype.storage, "NA" if dtype.na_value is pd.NA else "nan"]
        for name, dtype in frame.dtypes.items()
        if isinstance(dtype, pd.StringDtype)
    }
    return {STRINGS_KEY: json.dumps(strings).encode()}


def read_result(path: Path) -> pd.DataFrame:
    """A stored result as the analysis returned it: Parquet's pandas metadata, then :func:`result_metadata`."""
    table = pq.read_table(path)
    strings = json.loads((table.schema.metadata or {}).get(STRINGS_KEY, b"{}"))
    frame: pd.DataFrame = table.to_pandas()
    for name, (storage, missing) in strings.items():
        frame[name] = frame[name].astype(pd.StringDtype(storage, na_value=np.nan if missing == "nan" else pd.NA))
    return frame


def _waves(config: ProgrammeConfig) -> pd.DataFrame:
    return pd.DataFrame([{"wave": w.id, "label": w.label, "year": w.year} for w in config.waves])


def _counts(tables: Tables, config: ProgrammeConfig, min_group_size: int) -> pd.DataFrame:
    """The counts the method notes and the key findings show: answers, respondents (all, and those answering an
    item with a level), the items with a criterion answered, and the answers about a network event."""
    responses, items = tables["responses"], tables["items"]
    levelled = items.loc[items["level"].notna(), "item_id"]
    mapped = items.loc[items["criterion"].notna(), "item_id"]
    acts = tables["activities"]
    events = config.event_feedback.activity_types if config.event_feedback else []
    about = responses["activity_id"].isin(set(acts.loc[acts["type"].isin(events), "activity_id"]))
    row = {
        "answers": len(responses),
        "respondents": count_respondents(responses),
        "levelled_respondents": count_respondents(responses[responses["item_id"].isin(levelled)]),
        "mapped_items": int(responses.loc[responses["item_id"].isin(mapped), "item_id"].nunique()),
        "event_answers": int(about.sum()),
    }
    return pd.DataFrame([row]).astype("int64")


def headline_figures_of(tables: Tables, config: ProgrammeConfig, min_group_size: int) -> HeadlineFigures:
    """The headline figures of ``tables`` at ``min_group_size``, the rating question as ``config`` names it."""
    return headline_figures(
        tables["activities"],
        tables["responses"],
        tables["items"],
        min_group_size=min_group_size,
        rating_item=config.rating_item,
    )


def headline_frames(figures: HeadlineFigures) -> dict[str, pd.DataFrame]:
    """The headline figures as two frames: ``headline`` (one row of its numbers) and ``headline_rating``."""
    numbers = pd.DataFrame([{f.name: getattr(figures, f.name) for f in fields(figures) if f.name != "rating"}])
    return {"headline": numbers, "headline_rating": figures.rating}


def _headline_numbers(tables: Tables, config: ProgrammeConfig, min_group_size: int) -> pd.DataFrame:
    return headline_frames(headline_figures_of(tables, config, min_group_size))["headline"]


def _headline_rating(tables: Tables, config: ProgrammeConfig, min_group_size: int) -> pd.DataFrame:
    return headline_figures_of(tables, config, min_group_size).rating


def headline_from(numbers: pd.DataFrame, rating: pd.DataFrame) -> HeadlineFigures:
    """The headline figures again from their stored numbers (one row) and rating table, in their own types."""
    row = numbers.iloc[0]
    values: dict[str, Any] = {}
    for spec in fields(HeadlineFigures):
        if spec.name == "rating":
            continue
        value = row[spec.name]
        if spec.name == "rating_item":
            values[spec.name] = None if pd.isna(value) else str(value)
        else:
            values[spec.name] = float(value) if spec.name == "training_hours" else int(value)
    return HeadlineFigures(**values, rating=rating)


def _event_reach(tables: Tables, config: ProgrammeConfig, min_group_size: int) -> pd.DataFrame:
    declared = config.event_feedback
    types = declared.activity_types if declared else []
    return event_reach(tables["activities"], tables["responses"], types)


ANSWER_RESULTS: dict[str, AnswerResult] = {
    "chain": lambda t, c, k: kirkpatrick_chain(t["responses"], t["items"], by=(), min_group_size=k),
    "change": lambda t, c, k: pre_post_change(
        t["responses"], t["items"], baseline=min(c.wave_ids), follow_up=max(c.wave_ids), by=(), min_group_size=k
    ),
    "criteria": lambda t, c, k: criteria_matrix(
        t["responses"], t["items"], sources=evidence_sources(t), min_group_size=k, criteria=tuple(c.criteria)
    ),
    "dimensions": lambda t, c, k: kirkpatrick_dimensions(t["responses"], t["items"], by=(), min_group_size=k),
    "type_levels": lambda t, c, k: levels_by_type(t["responses"], t["items"], t["activities"]),
    "type_criteria": lambda t, c, k: criteria_by_type(t["responses"], t["items"], t["activities"], tuple(c.criteria)),
    "type_questions": lambda t, c, k: top_two_by_type(t["responses"], t["items"], t["activities"]),
    "track_chains": lambda t, c, k: track_chains(t["responses"], t["items"], t["partners"], min_group_size=k),
    "track_comparison": lambda t, c, k: compare_tracks(
        t["activities"], t["responses"], t["items"], t["partners"], t["tracks"], min_group_size=k
    ),
    "partner_comparison": lambda t, c, k: compare_partners(
        t["activities"],
        t["responses"],
        t["items"],
        t["portfolio"],
        t["partners"],
        min_group_size=k,
        personal_portfolio=c.privacy.portfolio == "personal",
    ),
    "waves": lambda t, c, k: waves_over_years(t["responses"], t["items"], t["activities"], _waves(c), min_group_size=k),
    "respondents_per_wave": lambda t, c, k: respondents_per_wave(t["responses"]),
    "event_reach": _event_reach,
    "counts": _counts,
    "headline": _headline_numbers,
    "headline_rating": _headline_rating,
}


def block_result(dimensions: tuple[str, ...]) -> str:
    """The name of the scores of a self-assessment block of ``dimensions`` among the stored results."""
    return "dimension_scores:" + ",".join(dimensions)


def answer_result(name: str, tables: Tables, config: ProgrammeConfig, min_group_size: int) -> pd.DataFrame:
    """The result ``name`` (an entry of :data:`ANSWER_RESULTS`, or :func:`block_result`) computed from ``tables``."""
    if name.startswith("dimension_scores:"):
        return dimension_scores(tables["responses"], tables["items"], name.split(":", 1)[1].split(","))
    return ANSWER_RESULTS[name](tables, config, min_group_size)


def programme_results(tables: Tables, config: ProgrammeConfig) -> Iterator[tuple[str, pd.DataFrame]]:
    """Each result of :func:`result_names` computed from ``tables`` at the programme's ``min_group_size``, in
    that order (the headline figures once for their two frames)."""
    size = config.min_group_size
    figures = None
    for name in result_names(config):
        if name in ("headline", "headline_rating"):
            figures = figures or headline_figures_of(tables, config, size)
            yield name, headline_frames(figures)[name]
        else:
            yield name, answer_result(name, tables, config, size)


def result_names(config: ProgrammeConfig) -> list[str]:
    """Every result the store writes for a programme of ``config``: the analyses and each declared block."""
    blocks = [config.commitments, config.added_value, config.event_feedback.dimensions if config.event_feedback else []]
    declared = [block_result(tuple(d.id for d in block)) for block in blocks if block]
    return [*ANSWER_RESULTS, *dict.fromkeys(declared)]


@dataclass
class StoredResults:
    """The programme report's results of the answers as the store wrote them (at ``min_group_size``), each
    read when first asked for."""

    path: Path
    files: dict[str, str]  # result name -> file in the store
    min_group_size: int
    _read: dict[str, pd.DataFrame] = field(default_factory=dict)

    def result(self, name: str) -> pd.DataFrame | None:
        """The stored result ``name`` (a copy: a caller may change it), or None when the store has none."""
        if name not in self.files:
            return None
        if name not in self._read:
            self._read[name] = read_result(self.path / self.files[name])
        return self._read[name].copy()

    def headline(self) -> HeadlineFigures | None:
        numbers, rating = self.result("headline"), self.result("headline_rating")
        return None if numbers is None or rating is None else headline_from(numbers, rating)
