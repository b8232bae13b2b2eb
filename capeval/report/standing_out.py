"""What stands out in a track's or the programme's synthesis, as key-finding sentences: the tracks whose
chain breaks, the activity types furthest apart on behaviour, the largest and most common gaps across
partners and the lesson theme shared most widely.

Each sentence gives its n and uses only what this report's release shows (:mod:`capeval.analysis.claims`:
values compared as shown, a difference under the minimum change is none). The shareable programme report
names no partner: these sentences name tracks, activity types, services and themes only; the programme
manager's internal report adds the partners furthest below and above the programme on behaviour.
"""

from __future__ import annotations

import pandas as pd

from capeval.analysis.claims import at_least
from capeval.analysis.gaps import gap_benchmark
from capeval.report.common import unit_min_change, wave_label
from capeval.report.context import ReportContext
from capeval.report.internal import outlier_table
from capeval.report.kirkpatrick import level_label

OUTLIER_LEVEL = "L3"  # the internal key finding: who stands out on behaviour on the job


def synthesis_findings(ctx: ReportContext) -> list[str]:
    """The synthesis sentences of a track's or the programme's key findings (none for a partner)."""
    if ctx.kind == "partner":
        return []
    analyses = ctx.analyses
    found = [
        track_chains_sentence(ctx, analyses.track_verdicts),
        types_apart_sentence(ctx, analyses.types_apart),
        common_gap_sentence(ctx, analyses.largest_gap_frequency, analyses.service_gaps),
        shared_theme_sentence(ctx, analyses.shared_themes),
    ]
    if ctx.parameters.get("audience") == "internal":  # the programme manager's report names partners
        found.append(outliers_sentence(ctx, outlier_table(ctx)))
    return [s for s in found if s]


def _track_names(ctx: ReportContext) -> dict[str, str]:
    tracks = ctx.data["tracks"]
    return dict(zip(tracks["track_id"].astype(str), tracks["name"].astype(str), strict=True))


def track_chains_sentence(ctx: ReportContext, verdicts: pd.DataFrame) -> str:
    """The tracks whose chain is broken (or borderline) in their latest judged wave, each with both levels' n:
    ``verdicts`` is :func:`capeval.analysis.synthesis.latest_verdicts` of the released track chains."""
    if verdicts.empty:
        return ""
    names = _track_names(ctx)

    def items(verdict: str) -> str:
        rows = verdicts[verdicts["verdict"] == verdict].sort_values(["l3", "track_id"], kind="stable")
        return "; ".join(
            ctx.t(
                "syn_kf_track_item",
                name=names.get(str(r["track_id"]), str(r["track_id"])),
                wave=wave_label(ctx, r["wave"]),
                l1=ctx.n(float(r["l1"])),
                n1=ctx.n(int(r["n_l1"]), 0),
                l3=ctx.n(float(r["l3"])),
                low=ctx.n(float(r["l3_ci_low"])),
                high=ctx.n(float(r["l3_ci_high"])),
                n3=ctx.n(int(r["n_l3"]), 0),
            )
            for r in rows.to_dict("records")
        )

    broken, borderline = (int((verdicts["verdict"] == v).sum()) for v in ("broken", "borderline"))
    parts = []
    if broken:
        parts.append(ctx.t("syn_kf_tracks_broken", k=broken, n=len(verdicts), items=items("broken")))
    if borderline:
        key = "syn_kf_tracks_borderline" if broken else "syn_kf_tracks_borderline_only"
        parts.append(ctx.t(key, k=borderline, n=len(verdicts), items=items("borderline")))
    return " ".join(parts)


def types_apart_sentence(ctx: ReportContext, apart: pd.DataFrame) -> str:
    """The activity types highest and lowest on behaviour in the latest wave that shows two, when at least
    the minimum change apart (as shown); ``apart`` is :func:`capeval.analysis.synthesis.furthest_apart`."""
    if apart.empty:
        return ""
    latest = apart.sort_values("wave").iloc[-1]
    if not bool(at_least(pd.Series([latest["difference"]]), unit_min_change(ctx).points_100).iloc[0]):
        return ""
    return ctx.t(
        "syn_kf_types",
        wave=wave_label(ctx, latest["wave"]),
        top=ctx.activity_label(latest["top"]),
        top_score=ctx.n(float(latest["top_mean"])),
        top_n=ctx.n(int(latest["top_n"]), 0),
        bottom=ctx.activity_label(latest["bottom"]),
        bottom_score=ctx.n(float(latest["bottom_mean"])),
        bottom_n=ctx.n(int(latest["bottom_n"]), 0),
        diff=ctx.n(float(latest["difference"])),
    )


def common_gap_sentence(ctx: ReportContext, frequency: pd.DataFrame, gaps: pd.DataFrame) -> str:
    """The service most often a partner's largest gap (with the mean of those gaps only when at least
    min_group_size partners make it: the programme shows no smaller group's gap) and the largest median gap
    across partners (as the gaps section shows it: of at least min_group_size partners)."""
    if frequency.empty or int(frequency["n_with_gap"].iloc[0]) < 2:
        return ""
    top = frequency.iloc[0]
    wave = int(top["wave"])
    k, n = int(top["n_partners"]), int(top["n_with_gap"])
    mean = ctx.t("syn_kf_gap_mean", gap=ctx.n(float(top["mean_gap"]))) if k >= ctx.min_group_size else ""
    text = ctx.t(
        "syn_kf_gap_common",
        service=ctx.service_label(str(top["service"])),
        k=ctx.n(k, 0),
        n=n,
        wave=wave_label(ctx, wave),
        mean=mean,
    )
    latest = gaps[(gaps["wave"] == wave) & gaps["gap"].notna()] if len(gaps) else gaps
    bench = gap_benchmark(latest, min_partners=ctx.min_group_size) if len(latest) else latest
    shown = bench[~bench["suppressed"].astype(bool)] if len(bench) else bench
    if shown.empty:
        return text
    largest = shown.sort_values(["median_gap", "service"], ascending=[False, True], kind="stable").iloc[0]
    return (
        text
        + " "
        + ctx.t(
            "syn_kf_gap_largest",
            service=ctx.service_label(str(largest["service"])),
            median=ctx.n(float(largest["median_gap"])),
            n=int(largest["n_partners"]),
        )
    )


def shared_theme_sentence(ctx: ReportContext, themes: pd.DataFrame) -> str:
    """The lesson theme shared by the most partners (then tracks), with how many themes are shared at all;
    ``themes`` is :func:`capeval.analysis.themes.recurring_themes` of this unit's lessons."""
    if themes.empty:
        return ""
    top = themes.iloc[0]
    status = ctx.t("theme_confirmed") if bool(top["confirmed"]) else ctx.t("theme_suggested")
    return ctx.t(
        "syn_kf_theme",
        theme=str(top["theme"]) or ctx.t("theme_unnamed"),
        status=status,
        partners=ctx.t("syn_n_partners", p=int(top["n_partners"])),
        tracks=ctx.t("syn_n_tracks", t=int(top["n_tracks"])),
        k=int(top["n_lessons"]),
        m=len(themes),
    )


def outliers_sentence(ctx: ReportContext, found: pd.DataFrame) -> str:
    """Internal report only: the partners furthest below and above the programme on behaviour (L3), each value
    as the partner's own report shows it, with both n; ``found`` is :func:`capeval.report.internal.outlier_table`."""
    rows = found[found["indicator"] == OUTLIER_LEVEL] if len(found) else found
    if rows.empty:
        return ""
    items = "; ".join(
        ctx.t(
            f"syn_kf_outlier_{r['side']}",
            name=str(r["name"]),
            score=ctx.n(float(r["value"])),
            n=ctx.n(int(r["n"]), 0),
            diff=ctx.n(abs(float(r["difference"]))),
        )
        for r in rows.to_dict("records")
    )
    first = rows.iloc[0]
    return ctx.t(
        "syn_kf_outliers",
        level=level_label(ctx, OUTLIER_LEVEL),
        wave=wave_label(ctx, first["wave"]),
        programme=ctx.n(float(first["programme"])),
        pn=ctx.n(int(first["programme_n"]), 0),
        items=items,
    )
