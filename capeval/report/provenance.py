"""The provenance section: capeval version, parameters, input data hash and the time of rendering."""

from __future__ import annotations

from datetime import UTC, datetime

from capeval import __version__
from capeval.report import html
from capeval.report.context import ReportContext


def provenance(ctx: ReportContext) -> str:
    """capeval version, parameters, input data hash and the time of rendering."""
    head = html.heading(ctx.t("section_provenance"), ident="provenance")
    params = ", ".join(f"{k}={v!r}" for k, v in sorted(ctx.parameters.items()))
    facts = {
        ctx.t("capeval_version"): __version__,
        ctx.t("parameters"): params,
        ctx.t("input_hash"): ctx.store.unit_hash(ctx.kind, ctx.unit_id),
    }
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    when = f'<p class="rendered-at">{html.escape(ctx.t("rendered_at"))}: {html.escape(stamp)}</p>'
    return f'<footer class="provenance">{head}{html.definition_list(facts)}{when}</footer>'
