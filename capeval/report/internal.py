"""The programme manager's internal programme report: partners named, side by side on each indicator.

It shows each partner's scores exactly as that partner's own report does (the release's cells at the
partner's scope: a value the release hides there is hidden here too), against the programme's, and the
partners furthest below and above the programme. It is never bundled with a partner's report.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from capeval.analysis.kirkpatrick import kirkpatrick_chain
from capeval.analysis.release import scope_key
from capeval.analysis.synthesis import partner_outliers
from capeval.options import ReportOptions
from capeval.report import html
from capeval.report.common import no_data, unit_min_change, wave_label
from capeval.report.context import ReportContext, open_report
from capeval.report.kirkpatrick import level_label
from capeval.toc import TOC_MARK

AUDIENCE = "internal"
LEVELS = ("L1", "L2", "L3", "L4")
HEAT_BINS = (20.0, 40.0, 60.0, 80.0)  # 0-100 scores in five shades (css heat-0 … heat-4)


def open_internal_report(
    programme: str, programme_id: str = "", *, options: ReportOptions | None = None, **given: Any
) -> ReportContext:
    """The programme's report context for its internal report: the release's cells of every partner too,
    so each partner's values are shown (or hidden) as in that partner's own report."""
    ctx = open_report(programme, "programme", programme_id, options=options, **given)
    release = ctx.store.release("programme", ctx.unit_id, ctx.min_group_size, partners=True)
    return replace(ctx, release=release, parameters={**ctx.parameters, "audience": AUDIENCE})


def partner_levels(ctx: ReportContext, wave: int) -> pd.DataFrame:
    """Every partner's Kirkpatrick levels in ``wave`` as its own report shows them: partner_id, name, indicator,
    value (NaN where the release hides it at the partner's scope), n, reason."""
    data = ctx.data
    answers = data["responses"][data["responses"]["wave"].astype("int64") == wave]
    chain = kirkpatrick_chain(answers, data["items"], by=("partner_id",), min_group_size=ctx.min_group_size)
    chain = chain[chain["level"].isin(LEVELS)]
    if chain.empty:
        return pd.DataFrame(columns=["partner_id", "name", "indicator", "value", "n", "reason"])
    shown = ctx.decisions.mask(
        chain,
        family=[f"level:{level}" for level in chain["level"]],
        key=[scope_key("partner", str(p)) for p in chain["partner_id"]],
        wave=list(chain["wave"]),
        n_column="n_respondents",
        value_columns=["mean", "sd", "ci_low", "ci_high"],
    )
    names = dict(zip(data.partners["partner_id"].astype(str), data.partners["name"].astype(str), strict=True))
    out = shown.rename(columns={"level": "indicator", "mean": "value", "n_respondents": "n"})
    out["partner_id"] = out["partner_id"].astype(str)
    out["name"] = out["partner_id"].map(names)
    return out[["partner_id", "name", "indicator", "value", "n", "reason"]].reset_index(drop=True)


def programme_levels(ctx: ReportContext, wave: int) -> pd.DataFrame:
    """The programme's own Kirkpatrick levels in ``wave``, as the programme report shows them: indicator, value, n."""
    chain = ctx.analyses.chain
    chain = chain[(chain["wave"] == wave) & chain["level"].isin(LEVELS)]
    return chain.rename(columns={"level": "indicator", "mean": "value", "n_respondents": "n"})[
        ["indicator", "value", "n"]
    ].reset_index(drop=True)


def overview_wave(ctx: ReportContext) -> int | None:
    """The latest wave with answers (None: none)."""
    waves = ctx.data["responses"]["wave"]
    return int(waves.max()) if len(waves) else None


def partner_overview(ctx: ReportContext) -> str:
    """Partners × indicators: each cell its score (% of the scale) and n, shaded; hidden as in the partner's report."""
    head = html.heading(ctx.t("int_overview_title"), ident="partner-overview")
    wave = overview_wave(ctx)
    if wave is None:
        return no_data(ctx, head)
    values = partner_levels(ctx, wave)
    bench = programme_levels(ctx, wave)
    levels = [lv for lv in LEVELS if lv in set(values["indicator"]) | set(bench["indicator"])]
    header = "".join(f'<th scope="col">{html.escape(level_label(ctx, lv))}</th>' for lv in levels)
    rows = [_row(ctx, ctx.t("int_programme_row"), "", bench, levels, css="programme")]
    partners = ctx.data.partners.sort_values("name", kind="stable")
    for pid, name in partners[["partner_id", "name"]].astype(str).to_numpy():
        rows.append(_row(ctx, name, pid, values[values["partner_id"] == pid], levels))
    table = (
        f'<table class="data heat-map"><thead><tr><th scope="col">{html.escape(ctx.t("partner"))}</th>{header}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    hidden = int(values["value"].isna().sum()) if len(values) else 0
    parts = [head, html.paragraph(ctx.t("int_overview_intro", wave=wave_label(ctx, wave))), table]
    if hidden:
        parts.append(html.paragraph(ctx.t("int_overview_hidden", k=hidden, min=ctx.min_group_size), "note"))
    return "\n".join(parts)


def _row(ctx: ReportContext, name: str, pid: str, frame: pd.DataFrame, levels: list[str], *, css: str = "") -> str:
    by_level = frame.set_index("indicator") if len(frame) else frame
    cells = []
    for level in levels:
        if level not in by_level.index:
            cells.append('<td class="num">–</td>')
            continue
        value, n = float(str(by_level.loc[level, "value"])), int(str(by_level.loc[level, "n"]))
        if pd.isna(value):
            text, shade = ctx.t("int_cell_hidden", n=n), "heat-hidden"
        else:
            text, shade = ctx.t("iv_cell", score=ctx.n(value), n=ctx.n(n, 0)), f"heat-{_bin(value)}"
        attrs = f' data-partner="{html.escape(pid)}" data-indicator="{html.escape(level)}"' if pid else ""
        cells.append(f'<td class="num {shade}"{attrs}>{html.escape(text)}</td>')
    row_css = f' class="{css}"' if css else ""
    return f'<tr{row_css}><th scope="row">{html.escape(name)}</th>{"".join(cells)}</tr>'


def _bin(value: float) -> int:
    return sum(value >= edge for edge in HEAT_BINS)


def outlier_table(ctx: ReportContext) -> pd.DataFrame:
    """The partners furthest below and above the programme per level (see
    :func:`capeval.analysis.synthesis.partner_outliers`), with names, in the latest wave."""
    wave = overview_wave(ctx)
    if wave is None:
        return pd.DataFrame()
    values = partner_levels(ctx, wave)
    found = partner_outliers(values, programme_levels(ctx, wave), min_change=unit_min_change(ctx).points_100)
    names = dict(zip(values["partner_id"], values["name"], strict=False))
    return found.assign(name=found["partner_id"].map(names), wave=wave)


def outliers(ctx: ReportContext) -> str:
    """Per indicator, the partner furthest below and furthest above the programme, as shown, with both n."""
    head = html.heading(ctx.t("int_outliers_title"), ident="outliers")
    found = outlier_table(ctx)
    if found.empty:
        return head + html.paragraph(ctx.t("int_outliers_none", min=ctx.n(unit_min_change(ctx).points_100, 0)))
    found["level"] = [level_label(ctx, str(i)) for i in found["indicator"]]
    found["where"] = [ctx.t(f"int_side_{s}") for s in found["side"]]
    found["partner_cell"] = [
        ctx.t("iv_cell", score=ctx.n(v), n=ctx.n(int(n), 0)) for v, n in found[["value", "n"]].to_numpy()
    ]
    found["programme_cell"] = [
        ctx.t("iv_cell", score=ctx.n(v), n=ctx.n(int(n), 0)) for v, n in found[["programme", "programme_n"]].to_numpy()
    ]
    found["diff"] = [f"{'+' if d > 0 else ''}{ctx.n(d)}" for d in found["difference"]]
    intro = ctx.t(
        "int_outliers_intro", wave=wave_label(ctx, found["wave"].iloc[0]), min=ctx.n(unit_min_change(ctx).points_100, 0)
    )
    headers = {
        "level": ctx.t("int_indicator"),
        "where": ctx.t("int_side"),
        "name": ctx.t("partner"),
        "partner_cell": ctx.t("int_partner_score"),
        "programme_cell": ctx.t("int_programme_score"),
        "diff": ctx.t("int_difference"),
    }
    return "\n".join([head, html.paragraph(intro), html.table(found, headers, css="data outliers")])


def internal_title(ctx: ReportContext) -> str:
    """The internal report's title and whom it is for: the programme manager, not the partners."""
    parts = [html.heading(ctx.t("report_title_internal", name=ctx.name), 1, ident="title")]
    parts.append(html.paragraph(ctx.t("int_notice"), "note internal-notice"))
    facts: dict[str, object] = {
        ctx.t("programme"): ctx.data.config.title,
        ctx.t("u_n_partners"): len(ctx.data.partners),
        ctx.t("u_n_tracks"): len(ctx.data.tables["tracks"]),
    }
    parts.append(html.definition_list(facts))
    parts.append(TOC_MARK)
    return "\n".join(parts)
