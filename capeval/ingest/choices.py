"""Answers: labels to values, and select-multiple cells split into the options chosen."""

from __future__ import annotations

from collections.abc import Mapping

from capeval.ingest.cells import normalise_label, parse_number


def split_choices(text: str, separator: str, options: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The option ids chosen in a select-multiple cell and the pieces that match no option.

    Known option labels are matched longest first, so a label that itself contains the
    separator (``"Never - aware of them, but not used them"``) is not cut in two.
    """
    lookup = {normalise_label(label): option for label, option in options.items()}
    lookup.update({normalise_label(option): option for option in options.values()})
    labels = sorted(lookup, key=len, reverse=True)
    rest = normalise_label(text)
    sep = normalise_label(separator) or " "
    strip_chars = " " + sep.strip()
    chosen: list[str] = []
    unknown: list[str] = []
    rest = rest.strip(strip_chars)
    while rest:
        match = next(
            (label for label in labels if rest.startswith(label) and _ends_at_separator(rest[len(label) :], sep)),
            None,
        )
        if match is None:
            piece, _, rest = rest.partition(sep)
            if piece.strip():
                unknown.append(piece.strip())
        else:
            if lookup[match] not in chosen:
                chosen.append(lookup[match])
            rest = rest[len(match) :]
        rest = rest.lstrip(strip_chars) if sep.strip() else rest.lstrip()
    return chosen, unknown


def _ends_at_separator(remainder: str, sep: str) -> bool:
    stripped = remainder.lstrip(" ")
    return not stripped or stripped.startswith(sep.strip() or " ") or remainder.startswith(sep)


def label_or_number(text: str, labels: Mapping[str, float], decimal: str) -> float | None:
    """The value of an answer: its label's value, else the number written, else None."""
    if labels:
        lookup = {normalise_label(k): float(v) for k, v in labels.items()}
        found = lookup.get(normalise_label(text))
        if found is not None:
            return found
    return parse_number(text, decimal)
