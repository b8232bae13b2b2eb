"""What one report notebook is given: its unit, the options that differ from the programme's, the run's extras.

The options a report is rendered with are resolved once, by :func:`capeval.options.resolve`
(command line, then the unit's override, then the parameters file, then programme.yaml, then
the default); the notebook is passed those that differ from what it would resolve from the
programme alone, so an unchanged run plans the same parameters (and the same input hash).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from capeval.options import REPORT_OPTIONS, differing, flag, resolve
from capeval.parameters import NOTEBOOKS, RunParameters
from capeval.schema import SMALLEST_GROUP

if TYPE_CHECKING:
    from capeval.schema import ProgrammeConfig

# The parameters cell of each of capeval's own notebooks: its unit, then every report option.
# tests/test_options.py reads the notebooks with papermill's inspect_notebook and keeps this true.
OWN_NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "partner_report.ipynb": ("programme", "partner_id", *REPORT_OPTIONS),
    "track_report.ipynb": ("programme", "track_id", *REPORT_OPTIONS),
    "programme_report.ipynb": ("programme", "programme_id", *REPORT_OPTIONS),
    "programme_internal_report.ipynb": ("programme", "programme_id", *REPORT_OPTIONS),
}


def job_parameters(
    run: RunParameters,
    config: ProgrammeConfig,
    kind: str,
    unit_id: str,
    *,
    programme: str,
    language: str | None = None,
) -> dict[str, Any]:
    """The notebook parameters of one report: the store, the unit, its language, the options that
    differ from the programme's, then the run's and the unit's ``notebook_parameters``.

    ``language`` (from code) wins over every layer. A ``min_group_size`` below 3 is refused
    unless programme.yaml allows small groups, naming where it was set.
    """
    command_line, override, file = run.report_layers(kind, unit_id)
    chosen = resolve({"language": language}, command_line, override, file, programme=config)
    params: dict[str, Any] = {"programme": programme}
    if kind != "programme":
        params[f"{kind}_id"] = unit_id
    params["language"] = chosen.language
    size = chosen.min_group_size
    if size is not None and size < SMALLEST_GROUP and not config.allow_small_groups:
        where = next(
            place
            for layer, place in (
                (command_line, flag("min_group_size")),
                (override, f"overrides.{kind}s.{unit_id}.min_group_size"),
                (file, "min_group_size"),
            )
            if "min_group_size" in layer
        )
        raise run.error(
            where,
            f"{size} lets a single respondent's answers be seen; use {SMALLEST_GROUP} or more, or set "
            "'allow_small_groups: true' in programme.yaml if it is on purpose",
        )
    own = resolve(programme=config)  # what the notebook resolves with nothing given
    params |= {name: value for name, value in differing(chosen, own).items() if name not in params}
    unit_extras = run.overrides.partners if kind == "partner" else run.overrides.tracks if kind == "track" else {}
    extras = unit_extras[unit_id].notebook_parameters if unit_id in unit_extras else {}
    return params | run.notebook_parameters | extras


def declared_parameters(notebook: Path) -> set[str]:
    """The names the notebook's ``parameters`` cell declares, as papermill reads them.

    capeval's own notebooks are known (:data:`OWN_NOTEBOOKS`, kept true by a test) rather than
    read: importing papermill would cost a no-change re-run most of its second.
    """
    if notebook.parent.resolve() == NOTEBOOKS and notebook.name in OWN_NOTEBOOKS:
        return set(OWN_NOTEBOOKS[notebook.name])
    from papermill import inspect_notebook

    return set(inspect_notebook(str(notebook)))


def check_declared(run: RunParameters, params: dict[str, Any], declared: set[str], notebook: Path) -> None:
    """Refuse a parameter ``notebook`` does not declare (papermill would set it and nothing would read it)."""
    for key in params:
        if key not in declared:
            where = key if key in REPORT_OPTIONS else f"notebook_parameters.{key}"
            has = ", ".join(sorted(declared)) or "none"
            raise run.error(where, f"the notebook {notebook.name} has no parameter '{key}' (it has: {has})")
