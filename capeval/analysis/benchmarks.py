"""Programme benchmarks: the aggregates every report compares its unit with, computed once per programme
when the store is written, and what the programme's release is listed from.

Pure functions of the validated tables and programme.yaml; :mod:`capeval.store` writes their results.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from capeval.analysis.activities import activity_benchmark
from capeval.analysis.answers import before_after_items
from capeval.analysis.compare import rating_question
from capeval.analysis.criteria import criteria_matrix, evidence_sources
from capeval.analysis.gaps import gap_benchmark, service_gaps
from capeval.analysis.kirkpatrick import kirkpatrick_benchmark, pre_post_change
from capeval.analysis.release import PROGRAMME, Release, ReleaseInputs, answer_tables, float_columns
from capeval.analysis.scaling import scaling_benchmark, scaling_scores
from capeval.analysis.themes import cluster_counts, lesson_texts, lesson_themes, recurring_lessons
from capeval.log import logger
from capeval.schema import ProgrammeConfig

LESSON_CLUSTER_LIMIT = 5_000  # lessons clustered one by one (the similarity matrix: 200 MB)


def release_inputs(tables: Mapping[str, pd.DataFrame], config: ProgrammeConfig) -> ReleaseInputs:
    """What :func:`capeval.analysis.release.release_cells` lists the programme's published cells from."""
    return ReleaseInputs(
        responses=tables["responses"],
        items=tables["items"],
        partners=tables["partners"],
        waves=config.wave_ids,
        baseline=min(config.wave_ids),
        follow_up=max(config.wave_ids),
        pairs=before_after_items(tables["items"]),
        questions=answer_tables(tables["items"]),
        rating_item=rating_question(tables["items"], config.rating_item),
        activities=tables["activities"],
    )


def programme_benchmarks(
    tables: Mapping[str, pd.DataFrame], config: ProgrammeConfig, release: Release
) -> dict[str, pd.DataFrame]:
    """Programme-level aggregates a unit's report compares itself with, as the release allows them."""
    size = config.min_group_size
    gaps = service_gaps(tables["portfolio"])
    responses, items = tables["responses"], tables["items"]
    ingredients = [i.id for i in config.scaling_ingredients]
    baseline, follow_up = min(config.wave_ids), max(config.wave_ids)
    # lesson ids, counts and theme names only (words two partners share, or the analyst's): no partner
    recurrence = lesson_themes(tables["lessons"], lesson_recurrence(tables["lessons"]), tables.get("lesson_themes"))
    change = pre_post_change(responses, items, baseline=baseline, follow_up=follow_up, by=(), min_group_size=size)
    criteria = criteria_matrix(
        responses, items, sources=evidence_sources(tables), min_group_size=size, criteria=tuple(config.criteria)
    )
    return {
        "gaps": gap_benchmark(gaps, min_partners=size),
        "activities": activity_benchmark(tables["activities"], tables["partners"]),
        "kirkpatrick": kirkpatrick_benchmark(responses, items, min_group_size=size, release=release),
        "kirkpatrick_change": release.mask(
            change,
            family=[f"change:{level}" for level in change["level"]],
            key=PROGRAMME,
            n_column="n_paired",
            value_columns=float_columns(change),
        ),
        "criteria": release.mask(
            criteria,
            family=[f"criterion:{c}" for c in criteria["criterion"]],
            key=PROGRAMME,
            n_column="n_respondents",
            value_columns=["score"],
        ),
        "scaling": scaling_benchmark(scaling_scores(tables["scaling"], ingredients=ingredients), min_group_size=size),
        "lesson_recurrence": recurrence,
    }


def lesson_recurrence(lessons: pd.DataFrame, *, limit: int = LESSON_CLUSTER_LIMIT) -> pd.DataFrame:
    """:func:`recurring_lessons` for a programme of any size.

    Up to ``limit`` lessons it is exactly that. The clustering holds an n x n similarity
    matrix (35,700 lessons: 9.5 GB), so above it the distinct texts are clustered (identical
    texts always share a cluster; how often a text occurs does not weigh in), and above
    ``limit`` distinct texts only identical texts are grouped, with a warning.
    """
    if len(lessons) <= limit:
        return recurring_lessons(lessons)
    frame = lessons.sort_values("lesson_id", kind="stable").reset_index(drop=True)
    texts = pd.Series(lesson_texts(frame), index=frame.index)
    first = ~texts.duplicated()
    if first.sum() <= limit:
        clusters = recurring_lessons(frame[first]).set_index("lesson_id")["cluster"]
        by_text = pd.Series(clusters[frame.loc[first, "lesson_id"]].to_numpy(), index=texts[first].to_numpy())
    else:
        logger.warning("%d distinct lesson texts: only identical lessons are grouped as recurring", first.sum())
        by_text = pd.Series(range(1, int(first.sum()) + 1), index=texts[first].to_numpy())
    frame["cluster"] = texts.map(by_text).astype("int64")
    frame = cluster_counts(frame)
    return frame[["lesson_id", "cluster", "n_lessons", "n_partners", "n_tracks", "recurring"]]
