"""The validation library's errors in capeval's own words (no pydantic text reaches a user).

:func:`plain_message` turns one pydantic error into "expected …, got …"; :func:`closest_key`
finds the known key a typo meant ("did you mean scaling_ingredients?"); :func:`grouped_lines`
shows a problem repeated on many rows as one line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from capeval.errors import Problem


def shown(value: object) -> str:
    """A value as a user wrote it, shortened."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def plain_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as capeval says it."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    got = f", got {shown(error['input'])}" if "input" in error and not isinstance(error["input"], dict | list) else ""
    simple = {
        "missing": "required; missing",
        "int_parsing": f"expected a whole number{got}",
        "int_type": f"expected a whole number{got}",
        "int_from_float": f"expected a whole number{got}",
        "float_parsing": f"expected a number{got}",
        "float_type": f"expected a number{got}",
        "string_type": f"expected text{got}",
        "bool_parsing": f"expected yes or no (true/false){got}",
        "bool_type": f"expected yes or no (true/false){got}",
        "dict_type": f"expected keys with values (key: value){got}",
        "model_type": f"expected keys with values (key: value){got}",
        "model_attributes_type": f"expected keys with values (key: value){got}",
        "list_type": f"expected a list ([a, b], or one '- ' line each){got}",
        "extra_forbidden": "unknown key",
    }
    if kind in simple:
        return simple[kind]
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}{got}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most"}
        return f"expected {words.get(kind, 'less than')} {next(iter(ctx.values()), '')}{got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length', 1)} entr{'y' if ctx.get('min_length') == 1 else 'ies'}"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} entries"
    if kind in ("value_error", "assertion_error"):
        reason = ctx.get("error")
        return str(reason) if reason is not None else str(error.get("msg", "")).removeprefix("Value error, ")
    return str(error.get("msg", "not valid"))


def closest_key(key: str, known: Iterable[str]) -> str | None:
    """The known key a typo most likely meant, or None when none is close."""
    known = list(known)
    lowered = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(key.casefold(), list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    # a shortened key: "ingredients" for "scaling_ingredients", "groupsize" for "min_group_size"
    squeezed = key.casefold().replace("_", "")
    contained = [k for k in known if squeezed and squeezed in k.casefold().replace("_", "")]
    return contained[0] if len(contained) == 1 else None


def grouped_lines(problems: Iterable[Problem]) -> list[str]:
    """Problems as lines, one per distinct (file, column, message): a problem repeated on many rows
    is one line naming how many and which (``… on 24 rows (lines 10, 20, 30, … 240)``)."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.column, problem.message), []).append(problem.line)
    lines = []
    for (file, column, message), rows in groups.items():
        first = Problem(file, rows[0], column, message)
        if len(rows) == 1:
            lines.append(str(first))
            continue
        shown_rows = ", ".join(map(str, rows[:3])) + (
            f", … {rows[-1]}" if len(rows) > 4 else "".join(f", {r}" for r in rows[3:])
        )
        where = f"on {len(rows)} rows (lines {shown_rows})"
        what, why = _trailing_parenthesis(message)
        if why:  # "unknown value 'x' on 24 rows (lines …); expected …", not "… (expected …) on 24 rows"
            lines.append(f"{file}:{rows[0]}: {column}: {what} {where}; {why}")
        else:
            lines.append(f"{first} — {where}")
    return lines


def _trailing_parenthesis(message: str) -> tuple[str, str]:
    """``"unknown x 'a' (not in b.csv)"`` -> ``("unknown x 'a'", "not in b.csv")``; no parenthesis: (message, "")."""
    if not message.endswith(")"):
        return message, ""
    depth = 0
    for index in range(len(message) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(message[index], 0)
        if depth == 0:
            if index > 0 and message[index - 1] == " ":
                return message[: index - 1], message[index + 1 : -1]
            return message, ""
    return message, ""
