"""Text from data shown as what it is: invisible characters made visible, look-alikes named.

A terminal obeys escape sequences and a browser obeys bidi overrides (U+202E turns
``exe.pdf`` into ``fdp.exe``); both are shown as ``<U+202E>``. An id that looks like another
(Cyrillic ``Р1`` beside Latin ``P1``, an accent typed as a separate character) is named for
what it is, so an error about it can be acted on.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

# Every control and format character (Unicode 14 categories Cc, Cf: bidi overrides and isolates, zero-width
# characters, soft hyphen, byte order mark, tag characters) and the line and paragraph separators; not tab, LF
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_ON_ONE_LINE = re.compile("[\t\n]")


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with control, bidi and zero-width characters written as ``<U+XXXX>``.

    ``one_line`` also writes tabs and line feeds so (a message that must stay one line).
    """
    shown = _INVISIBLE.sub(_code, text)
    return _ON_ONE_LINE.sub(_code, shown) if one_line else shown


def lookalikes(text: str) -> str:
    """A note on what makes ``text`` look like another text, or "" when nothing does.

    ``'Р1'`` -> ``" (not the Latin 'P1': 'Р' is CYRILLIC CAPITAL LETTER ER, U+0420)"``.
    """
    notes: list[str] = []
    latin = []
    for char in text:
        found = _latin_twin(char)
        latin.append(found or char)
        if found:
            notes.append(f"'{char}' is {unicodedata.name(char, '?')}, U+{ord(char):04X}")
    if any(unicodedata.combining(c) for c in text):  # NFD: a letter and its accent as two characters
        whole = [c for c in unicodedata.normalize("NFC", text) if unicodedata.normalize("NFD", c) != c]
        letters = ", ".join(f"'{c}' U+{ord(c):04X}" for c in dict.fromkeys(whole)) or "a letter"
        accents = " ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(c for c in text if unicodedata.combining(c)))
        notes.append(f"typed with a separate accent {accents} (NFD), not as the one character {letters}")
    if not notes:
        return ""
    twin = "".join(latin)
    # the twin is shown as visibly as the text itself: a control character in it must not reach the terminal
    head = f"not the Latin '{visible(unicodedata.normalize('NFC', twin), one_line=True)}': " if twin != text else ""
    return f" ({head}{'; '.join(notes)})"


def escape_html(value: object) -> str:
    """Text safe to place in HTML content or a quoted attribute (bidi overrides and controls shown as <U+XXXX>).

    The one escaping function of every page (:func:`capeval.report.html.escape` is this one); here, so the
    index pages escape without loading the report code.
    """
    return html.escape(visible("" if value is None else str(value)), quote=True)


def quoted(text: str) -> str:
    """``text`` in quotes as a message shows it: visible, on one line, look-alikes named."""
    return f"'{visible(text, one_line=True)}'{lookalikes(text)}"


def _latin_twin(char: str) -> str | None:
    """The Latin letter ``char`` (of another script) is drawn like, if any."""
    if char.isascii() or not char.isalpha():
        return None
    from confusable_homoglyphs import confusables  # its table loads slowly: only for letters beyond ASCII

    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        if entry.get("alias") in ("LATIN", "COMMON"):
            continue
        for glyph in entry.get("homoglyphs", []):
            if str(glyph.get("n", "")).startswith("LATIN") and str(glyph.get("c", "")).isascii():
                return str(glyph["c"])
    return None


def _code(match: re.Match[str]) -> str:
    return _codes(match.group(0))


def _codes(chars: Iterable[str]) -> str:
    return "".join(f"<U+{ord(c):04X}>" for c in chars)
