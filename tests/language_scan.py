"""A reader who knows only one language: the words of the other one, and "1" with a plural noun, in a report.

The scan reads a rendered report's text (with its figures' alt text and captions) and finds
- the labels of the translation table in the other language: each label whose two languages differ is cut at
  its placeholders into fragments; a fragment of at least ``MIN_FRAGMENT`` characters that no label of the
  report's language holds and that the programme's own data does not hold (an English programme's lessons
  stay English in a Dutch report) must not be in the text;
- "1" followed by a plural noun ("1 lessen", "1 respondents").
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from capeval.i18n import LANGUAGES, table

MIN_FRAGMENT = 14  # shorter fragments ("Partners", "n = ") are words both languages share
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_DATA_URI = re.compile(r'src="data:[^"]*"')
_ONE_PLURAL = {
    "nl": re.compile(
        r"(?<![\d,.\u2009\u00a0])1 (activiteiten|lessen|partners|respondenten|deelnemers|deelnames|beoordelaars|"
        r"opmerkingen|diensten|eenheden|scores|personen|toelichtingen|antwoorden|vragen|leertrajecten|pilots|"
        r"metingen|uren|gemeenten|cellen)\b"
    ),
    "en": re.compile(
        r"(?<![\d,.\u2009\u00a0])1 (activities|lessons|partners|respondents|participants|participations|raters|"
        r"comments|services|units|scores|people|explanations|answers|questions|tracks|pilots|waves|hours|cells)\b"
    ),
}


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_IMAGE = re.compile(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", re.I)
_BLOCK = re.compile(r"<(?:p|li|tr|td|th|h[1-6]|dt|dd|figcaption|div|br)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def page_text(page: str) -> str:
    """The text a reader reads in ``page`` (HTML, as capeval writes it), blocks on lines of their own, with the
    alt text of its figures (regular expressions: a parser takes ten times as long over the figures' bytes)."""
    text = _IMAGE.sub(lambda m: "\n" + m.group(1) + "\n", _SCRIPT.sub("", _DATA_URI.sub('src=""', page)))
    return html.unescape(_TAG.sub("", _BLOCK.sub("\n", text)))


def _texts(entry: dict[str, object], language: str) -> list[str]:
    text = entry[language]
    return [str(v) for v in text.values()] if isinstance(text, dict) else [str(text)]


@cache
def _fragments(language: str) -> dict[str, str]:
    """Fragment of a label in ``language`` -> its key, for the labels whose two languages differ."""
    other = "en" if language == "nl" else "nl"
    own = "\n".join(text for entry in table().values() for text in _texts(entry, other))
    found: dict[str, str] = {}
    for key, entry in table().items():
        if _texts(entry, language) == _texts(entry, other):
            continue
        for text in _texts(entry, language):
            for fragment in _PLACEHOLDER.split(text):
                fragment = fragment.strip(" .,;:()–-")
                if len(fragment) >= MIN_FRAGMENT and fragment not in own:
                    found.setdefault(fragment, key)
    return found


def other_language_labels(text: str, language: str, data_text: str = "") -> list[str]:
    """The labels of the language other than ``language`` found in ``text`` ("key: fragment"), leaving out
    fragments that the programme's own data (``data_text``) holds."""
    assert language in LANGUAGES
    other = "en" if language == "nl" else "nl"
    return sorted(
        f"{key}: {fragment}"
        for fragment, key in _fragments(other).items()
        if fragment in text and fragment not in data_text
    )


def one_with_plural(text: str, language: str) -> list[str]:
    """Each line of ``text`` where "1" stands before a plural noun of ``language``."""
    return [line.strip() for line in text.splitlines() if _ONE_PLURAL[language].search(line)]


@cache
def programme_text(folder: Path) -> str:
    """Every text file of a programme folder (its own words: labels, items, lessons), to tell data from labels."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".yaml"))
