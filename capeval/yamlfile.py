"""Reading the YAML files people write (programme.yaml, mapping files) as YAML 1.2.

YAML 1.2, as ruamel.yaml reads it, has none of YAML 1.1's surprises: ``yes``, ``no``,
``on`` and ``off`` stay text, ``010`` is ten (not eight), ``1_000`` is not a number. A key
written twice, a file that is not UTF-8 and aliases that would blow up in memory are each
refused with capeval's own message naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from capeval.errors import CapevalError

MAX_NODES = 200_000  # values after aliases are expanded: a few thousand in any real file


def read_yaml(path: Path, error: type[CapevalError]) -> tuple[Any, dict[str, int]]:
    """The YAML document in ``path`` as plain Python (dict, list, str, int, float, bool, None) and
    the line of each top-level key; problems raise ``error`` with file, line and what to do."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 (in Notepad: Save as → "
            "Encoding: UTF-8)",
            file=path.name,
            row=line,
        ) from exc
    return parse_yaml(text, path.name, error)


def parse_yaml(text: str, name: str, error: type[CapevalError]) -> tuple[Any, dict[str, int]]:
    """:func:`read_yaml` for text already read (``name`` is the file shown in messages)."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except DuplicateKeyError as exc:
        key = _duplicate_key(exc)
        first = exc.context_mark.line + 1 if exc.context_mark is not None else None
        row = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        where = f" (first at line {first})" if first else ""
        raise error(f"key '{key}' is written twice{where}; keep one", file=name, row=row) from exc
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise error(
            f"not valid YAML: {problem}; quote text that holds ':', '#', '?' or starts with '[', '{{' or '*'",
            file=name,
            row=mark.line + 1 if mark is not None else None,
        ) from exc
    except YAMLError as exc:
        raise error(f"not valid YAML: {exc}", file=name) from exc
    lines: dict[str, int] = {}
    positions = getattr(document, "lc", None)
    if positions is not None and isinstance(document, dict):
        for key in document:
            try:
                lines[str(key)] = positions.key(key)[0] + 1
            except (KeyError, TypeError):  # pragma: no cover - every key of a loaded map has a position
                continue
    budget = [MAX_NODES]
    return _plain(document, budget, name, error), lines


def _duplicate_key(exc: DuplicateKeyError) -> str:
    match = re.search(r'duplicate key "(.*?)" with value', str(exc.problem or ""))
    return match.group(1) if match else str(exc.problem or "")


def _plain(value: Any, budget: list[int], name: str, error: type[CapevalError]) -> Any:
    """ruamel's round-trip objects as plain Python values, expanding aliases within a budget."""
    budget[0] -= 1
    if budget[0] < 0:
        raise error(f"more than {MAX_NODES:,} values once its aliases are expanded; write the file out", file=name)
    if isinstance(value, dict):
        return {_plain(k, budget, name, error): _plain(v, budget, name, error) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, budget, name, error) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return str(value)
