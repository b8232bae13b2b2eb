"""The provenance section, for a reader: capeval version, programme and unit, settings, data hash and date."""

from __future__ import annotations

from datetime import UTC, datetime

from capeval import __version__
from capeval.i18n import language_name, moment, table
from capeval.options import REPORT_OPTIONS, label_key
from capeval.report import html
from capeval.report.context import ReportContext


def provenance(ctx: ReportContext) -> str:
    """What a reader needs to trace the report: capeval's version, the programme and the unit it is about, the
    settings it was rendered with, the hash of its input data and the date (no local paths, no code)."""
    head = html.heading(ctx.t("section_provenance"), ident="provenance")
    config = ctx.data.config
    unit = f"{ctx.t(f'u_kind_{ctx.kind}')} {ctx.name}" if ctx.kind != "programme" else ctx.t("u_kind_programme")
    facts = {
        ctx.t("capeval_version"): __version__,
        ctx.t("programme"): f"{config.title} ({config.id})",
        ctx.t("prov_unit"): unit if ctx.kind == "programme" else f"{unit} ({ctx.unit_id})",
        ctx.t("prov_settings"): "; ".join(settings(ctx)),
        ctx.t("input_hash"): ctx.store.unit_hash(ctx.kind, ctx.unit_id),
    }
    stamp = moment(datetime.now(UTC), ctx.language)
    when = f'<p class="rendered-at">{html.escape(ctx.t("rendered_at"))}: {html.escape(stamp)}</p>'
    return f'<footer class="provenance">{head}{html.definition_list(facts)}{when}</footer>'


def settings(ctx: ReportContext) -> list[str]:
    """The report options in effect, each as its label and value ("Taal: Nederlands", "Min. verandering (schaal
    0–10): 0,5")."""
    shown = ctx.options.model_dump()
    values = {
        name: ctx.min_group_size if name == "min_group_size" else shown.get(name)
        for name in REPORT_OPTIONS
        if name != "internal"
    }
    values["language"] = language_name(ctx.language, ctx.language)
    return [
        f"{ctx.t(label_key(name))}: {ctx.n(value) if isinstance(value, float) else value}"
        for name, value in values.items()
        if value is not None and label_key(name) in table()
    ]
