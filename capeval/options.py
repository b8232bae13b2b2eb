"""Report options, declared once: each with its type, default, bounds and one line saying what it does.

Everything else takes them from here: ``parameters/*.yaml`` (:mod:`capeval.parameters`), the
flags of ``capeval run`` (:func:`add_flags`), the notebooks' ``parameters`` cells (a test reads
them with papermill's ``inspect_notebook``), the workbench's controls, and ``docs/options.md``
(:func:`options_markdown`). Labels for people are ``opt_<name>`` in the translation table.

:class:`ReportOptions` reach the report notebook; :class:`RunOptions` steer the run itself.
Where programme.yaml sets an option too (``language``, ``min_group_size``, ``min_change``), the
option's default is None: "the programme's". Which value wins is decided by :func:`resolve`
alone: command line, then the parameters file, then programme.yaml, then the default.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from capeval.messages import plain_message

if TYPE_CHECKING:
    from capeval.schema import ProgrammeConfig

Language = Literal["nl", "en"]
Format = Literal["html", "docx", "xlsx", "pdf"]
Engine = Literal["inprocess", "kernel"]
UNSET = {"programme": "the programme's", "cores": "the number of cores"}


class ReportOptions(BaseModel):
    """What a report is rendered with besides its unit; each reaches the notebook's ``parameters`` cell."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    language: Language | None = Field(
        default=None, description="report language, nl or en", json_schema_extra={"unset": "programme", "example": "nl"}
    )
    min_group_size: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="suppression threshold: no figure rests on fewer respondents",
        json_schema_extra={"unset": "programme", "example": 5},
    )
    consensus_spread: float = Field(
        default=2.0,
        gt=0,
        le=10,
        description="respondents disagree on a service's gap when their gaps spread (sd, 0-10 scale) more than this",
    )
    attention_below: float = Field(
        default=3.0, gt=1, le=5, description="a scaling ingredient scoring below this (1-5 scale) needs attention"
    )
    min_change_10: float | None = Field(
        default=None,
        gt=0,
        le=10,
        description="smallest change called a change on a 0-10 scale (programme.yaml: min_change.points_10)",
        json_schema_extra={"unset": "programme", "example": 0.5},
    )
    min_change_100: float | None = Field(
        default=None,
        gt=0,
        le=100,
        description="smallest change called a change on a 0-100 scale (programme.yaml: min_change.points_100)",
        json_schema_extra={"unset": "programme", "example": 5},
    )


class RunOptions(BaseModel):
    """How a run renders its reports; these never reach a notebook."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # whole seconds: nbclient's cell timeout is an integer and refuses 2.5 only once the kernel runs
    timeout: int = Field(default=600, ge=1, le=86_400, description="seconds one report may take before it is stopped")
    workers: int | None = Field(
        default=None,
        ge=1,
        le=1024,
        description="reports rendered at the same time",
        json_schema_extra={"unset": "cores", "example": 2},
    )
    engine: Engine = Field(
        default="inprocess",
        description="inprocess: each report in a process forked from a pre-loaded one; kernel: a Jupyter kernel each",
    )
    formats: list[Format] = Field(
        default_factory=lambda: list[Format](["html"]),
        min_length=1,
        description="files written per report: html, docx, xlsx, pdf",
    )
    internal: bool = Field(
        default=False,
        description="also render the programme manager's internal programme report (names partners; never bundled)",
    )


REPORT_OPTIONS: dict[str, FieldInfo] = dict(ReportOptions.model_fields)
RUN_OPTIONS: dict[str, FieldInfo] = dict(RunOptions.model_fields)
OPTIONS: dict[str, FieldInfo] = REPORT_OPTIONS | RUN_OPTIONS


def label_key(name: str) -> str:
    """The translation-table key of an option's label (``opt_min_group_size``)."""
    return f"opt_{name}"


def default_of(name: str) -> Any:
    """The declared default of option ``name`` (None: the programme's)."""
    return OPTIONS[name].get_default(call_default_factory=True)


def example(name: str) -> str:
    """One right way to write option ``name`` in a parameters file (``min_group_size: 5``)."""
    extra = OPTIONS[name].json_schema_extra
    value = extra["example"] if isinstance(extra, dict) and "example" in extra else default_of(name)
    return f"{name}: {'[' + ', '.join(map(str, value)) + ']' if isinstance(value, list) else value}"


def shown_default(name: str) -> str:
    """The default of option ``name`` as help and docs say it ("2.0", "html", "the programme's")."""
    default = default_of(name)
    if default is None:
        extra = OPTIONS[name].json_schema_extra
        return UNSET[str(extra["unset"])] if isinstance(extra, dict) else "none"
    return ",".join(default) if isinstance(default, list) else str(default)


def bounds(name: str) -> tuple[float | None, float | None]:
    """The lowest and highest value option ``name`` allows (None: no bound), for a control's range."""
    low = next((getattr(m, k) for m in OPTIONS[name].metadata for k in ("ge", "gt") if hasattr(m, k)), None)
    high = next((getattr(m, k) for m in OPTIONS[name].metadata for k in ("le", "lt") if hasattr(m, k)), None)
    return low, high


def programme_options(config: ProgrammeConfig) -> dict[str, Any]:
    """The options programme.yaml sets: the programme's own language, threshold and minimum change."""
    return {
        "language": config.language,
        "min_group_size": config.min_group_size,
        "min_change_10": config.min_change.points_10,
        "min_change_100": config.min_change.points_100,
    }


def resolve(*layers: Mapping[str, Any] | None, programme: ProgrammeConfig | None = None) -> ReportOptions:
    """Every report option's effective value: the first of ``layers`` (strongest first: the command
    line, a unit's override, the parameters file) that sets it (not None), else programme.yaml's,
    else the declared default."""
    chain = [*layers, programme_options(programme) if programme is not None else None]
    values: dict[str, Any] = {}
    for name in REPORT_OPTIONS:
        for layer in chain:
            if layer is not None and layer.get(name) is not None:
                values[name] = layer[name]
                break
    return ReportOptions.model_validate(values)


def options_in(namespace: Mapping[str, Any]) -> ReportOptions:
    """The report options a notebook's ``parameters`` cell holds (its names of :data:`REPORT_OPTIONS`)."""
    return ReportOptions.model_validate({name: namespace[name] for name in REPORT_OPTIONS if name in namespace})


def differing(options: ReportOptions, baseline: ReportOptions) -> dict[str, Any]:
    """The options whose value in ``options`` is not the one in ``baseline``, by name."""
    return {name: value for name, value in options if value != getattr(baseline, name)}


def set_values(model: BaseModel, names: Mapping[str, FieldInfo] = REPORT_OPTIONS) -> dict[str, Any]:
    """The options of ``names`` that ``model`` sets (not None)."""
    return {name: getattr(model, name) for name in names if getattr(model, name, None) is not None}


# --- the command line ------------------------------------------------------------------------


def flag(name: str) -> str:
    """The command-line flag of option ``name`` (``--min-group-size``)."""
    return "--" + name.replace("_", "-")


def add_flags(parser: argparse._ActionsContainer, names: Mapping[str, FieldInfo]) -> None:
    """Add one flag per option in ``names``, its help the option's own line and its default."""
    for name, info in names.items():
        kind, many = _base(info)
        if kind is bool:  # a switch: the flag alone turns it on (``--internal``)
            help_text = f"{info.description} (default: {shown_default(name)})".replace("%", "%%")
            parser.add_argument(flag(name), dest=name, action="store_true", default=None, help=help_text)
            continue
        choices = get_args(kind) if get_origin(kind) is Literal else None
        metavar = (
            ("{" + ",".join(choices) + "}" + ("[,…]" if many else "")) if choices else ("N" if kind is int else "X")
        )
        help_text = f"{info.description} (default: {shown_default(name)})".replace("%", "%%")
        parser.add_argument(flag(name), dest=name, type=_parser(name), default=None, metavar=metavar, help=help_text)


def flag_values(args: argparse.Namespace, names: Mapping[str, FieldInfo]) -> dict[str, Any]:
    """The options of ``names`` given on the command line (each already checked by its flag)."""
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def _base(info: FieldInfo) -> tuple[Any, bool]:
    """(the type of one value of an option, whether the option is a list), without its ``None``."""
    annotation = info.annotation
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is list:
        return args[0], True
    if type(None) in get_args(annotation) and len(args) == 1:
        return args[0], False
    return annotation, False


def _parser(name: str) -> Any:
    """Text of a flag -> the option's value, checked against its declaration (argparse exits 2 on an error)."""
    info = OPTIONS[name]
    _, many = _base(info)

    def parse(text: str) -> Any:
        value: Any = [part.strip() for part in text.split(",") if part.strip()] if many else text
        bounded: Any = Annotated[info.annotation, info]  # the option's type and its bounds
        try:  # built when the flag is given: every command builds the parser
            return TypeAdapter(bounded).validate_python(value, strict=False)
        except ValidationError as exc:
            raise argparse.ArgumentTypeError(plain_message(exc.errors()[0])) from None

    parse.__name__ = flag(name)  # argparse names the flag's type in its message
    return parse


# --- the documentation -----------------------------------------------------------------------


def options_markdown() -> str:
    """docs/options.md: the table of every option, made from this declaration (a test keeps them equal)."""
    from capeval.i18n import t

    lines = [
        "# Report options",
        "",
        "<!-- Made from capeval/options.py by `python -m capeval.options > docs/options.md`; do not edit. -->",
        "",
        "Each option is declared once, in `capeval/options.py`. Set it in a parameters file",
        "(`min_group_size: 8`; a report option also per unit, under `overrides:`) or on the command",
        "line (`capeval run … --min-group-size 8`). The command line wins over the parameters file,",
        "which wins over programme.yaml, which wins over the default. A report names, in its method",
        "notes, the options it was rendered with that differ from the programme's or the default.",
    ]
    for title, names in (("Report options (they reach the notebook)", REPORT_OPTIONS), ("Run options", RUN_OPTIONS)):
        lines += ["", f"## {title}", "", "| option | flag | default | allowed | what it does | label (en / nl) |"]
        lines.append("|---|---|---|---|---|---|")
        for name, info in names.items():
            label = f"{t(label_key(name), 'en')} / {t(label_key(name), 'nl')}"
            row = [f"`{name}`", f"`{flag(name)}`", shown_default(name), _allowed(info), str(info.description), label]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _allowed(info: FieldInfo) -> str:
    kind, many = _base(info)
    if kind is bool:
        return "true or false (on the command line: the flag alone)"
    if get_origin(kind) is Literal:
        words = ", ".join(str(a) for a in get_args(kind))
        return f"list of {words}" if many else words
    signs = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}  # annotated_types: Ge(ge=1), Le(le=10) …
    limits = " and ".join(
        f"{sign} {getattr(m, key)}" for m in info.metadata for key, sign in signs.items() if hasattr(m, key)
    )
    return ("whole number" if kind is int else "number") + (f", {limits}" if limits else "")


if __name__ == "__main__":
    print(options_markdown(), end="")
