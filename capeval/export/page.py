"""A rendered report page read back as blocks (headings, paragraphs, tables, figures), in order.

The Word and spreadsheet exports are built from these blocks, so they say exactly what the
HTML report says: the same sections, the same released (suppressed) numbers, the same alt text.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag

_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break spaces a report sets between number and unit
_DATA_PNG = "data:image/png;base64,"


@dataclass(frozen=True)
class Heading:
    level: int  # 1 is the report's title, 2 a section, 3 and 4 parts of a section
    text: str
    ident: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # an aside (no data, what a section leaves out): set in italics


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    ordered: bool = False


@dataclass(frozen=True)
class Pairs:
    """A definition list: label and value, as in the report's title block and provenance."""

    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    header: list[list[Cell]]  # the rows of <thead> (most tables have one)
    rows: list[list[Cell]]
    section: str = ""  # the heading the table stands under: what the table is about
    ident: str = ""  # the id of that heading
    chapter: str = ""  # the section (h2) it is part of


@dataclass(frozen=True)
class Picture:
    png: bytes
    alt: str
    caption: str = ""


Block = Heading | Paragraph | Bullets | Pairs | Table | Picture


@dataclass
class ReportPage:
    """A report as its reader sees it: title, language and the blocks in reading order."""

    title: str
    language: str
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def text_of(tag: Tag) -> str:
    """The visible text of ``tag`` on one line (runs of white space made one space)."""
    return _SPACES.sub(" ", tag.get_text(" ")).strip()


def read_report(html: str) -> ReportPage:
    """The blocks of a rendered report page (the contents list and scripts left out)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("main") or soup.body or soup
    title_tag = soup.find("h1")
    lang = soup.html.get("lang") if soup.html else None
    page = ReportPage(
        title=text_of(title_tag) if title_tag else (soup.title.string or "" if soup.title else ""),
        language=str(lang or "en"),
    )
    _walk(root, page.blocks, {})
    return page


def _walk(node: Tag, blocks: list[Block], under: dict[int, tuple[str, str]]) -> None:
    """Append the blocks of ``node``'s children; ``under``: the latest heading (text, id) per level."""
    from bs4.element import NavigableString, Tag

    loose: list[str] = []  # text directly in a container, outside any paragraph
    for child in node.children:
        if isinstance(child, NavigableString):
            if child.strip() and type(child) is NavigableString:  # not a comment or doctype
                loose.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        if loose:
            blocks.append(Paragraph(_SPACES.sub(" ", " ".join(loose)).strip()))
            loose = []
        _block(child, blocks, under)
    if loose:
        blocks.append(Paragraph(_SPACES.sub(" ", " ".join(loose)).strip()))


SKIPPED = frozenset({"script", "style", "template", "nav", "br", "hr"})  # nav: the contents list
BLOCK_TAGS = ["p", "h2", "h3", "h4", "table", "figure", "ul", "ol", "dl", "div", "section"]
NOTE_CLASSES = frozenset({"note", "no-data", "suppressed", "rendered-at"})


def _block(tag: Tag, blocks: list[Block], under: dict[int, tuple[str, str]]) -> None:
    """Append the block(s) ``tag`` is: a heading, paragraph, list, table or figure, or a container's."""
    name = tag.name
    classes = set(tag.get("class") or [])
    if name in SKIPPED or "toc" in classes:
        return
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        heading = Heading(int(name[1]), text_of(tag), str(tag.get("id") or ""))
        blocks.append(heading)
        for level in [k for k in under if k >= heading.level]:
            del under[level]
        under[heading.level] = (heading.text, heading.ident)
    elif name in ("ul", "ol"):
        items = [text_of(li) for li in tag.find_all("li", recursive=False)]
        blocks.append(Bullets([i for i in items if i], ordered=name == "ol"))
    elif name == "dl":
        terms = tag.find_all("dt", recursive=False)
        blocks.append(Pairs([(text_of(dt), text_of(dd)) for dt in terms if (dd := dt.find_next_sibling("dd"))]))
    elif name == "table":
        blocks.append(_table(tag, under))
    elif name in ("figure", "img"):
        _figure(tag, blocks)
    elif name != "p" and tag.find(BLOCK_TAGS):
        _walk(tag, blocks, under)  # a container (div, section, footer, blockquote): its blocks in order
    elif text := (tag.get_text().strip() if name == "pre" else text_of(tag)):
        blocks.append(Paragraph(text, note=bool(classes & NOTE_CLASSES)))


def _table(tag: Tag, under: dict[int, tuple[str, str]]) -> Table:
    head = tag.find("thead")
    body_rows = [tr for tr in tag.find_all("tr") if head is None or tr.find_parent("thead") is None]
    header_rows = head.find_all("tr") if head is not None else []
    if not header_rows and body_rows and all(c.name == "th" for c in body_rows[0].find_all(["td", "th"])):
        header_rows, body_rows = [body_rows[0]], body_rows[1:]  # a table without <thead>: its first row of <th>

    def cells(tr: Tag) -> list[Cell]:
        out = []
        for cell in tr.find_all(["th", "td"], recursive=False):
            span = int(str(cell.get("colspan") or 1)) if str(cell.get("colspan") or "1").isdigit() else 1
            numeric = "num" in (cell.get("class") or [])
            out.extend([Cell(text_of(cell), numeric)] + [Cell("", numeric)] * (span - 1))
        return out

    caption = tag.find("caption")
    deepest = under[max(under)] if under else ("", "")
    section = text_of(caption) if caption else deepest[0]
    chapter = under.get(2, deepest)[0]
    rows = [cells(r) for r in body_rows]
    return Table([cells(r) for r in header_rows], rows, section=section, ident=deepest[1], chapter=chapter)


def _figure(tag: Tag, blocks: list[Block]) -> None:
    caption_tag = tag.find("figcaption")
    caption = text_of(caption_tag) if caption_tag else ""
    images = [tag] if tag.name == "img" else tag.find_all("img")
    for img in images:
        _picture(img, caption, blocks)
    if not images and caption:
        blocks.append(Paragraph(caption, note=True))


def _picture(img: Tag, caption: str, blocks: list[Block]) -> None:
    source = str(img.get("src") or "")
    alt = _SPACES.sub(" ", str(img.get("alt") or "")).strip()
    if source.startswith(_DATA_PNG):  # a report embeds its figures; it never links a file or the network
        blocks.append(Picture(base64.b64decode(source[len(_DATA_PNG) :]), alt, caption))
    elif alt:
        blocks.append(Paragraph(alt, note=True))
