"""A report as a Word document (python-docx), built from the blocks of its rendered HTML page.

Word's own styles carry the structure (Title, Heading 1–3, List Bullet, Table Grid), so a
funder's template restyles it and Word's navigation pane lists the sections; tables are Word
tables with a repeating header row, figures carry their alt text, the footer numbers the pages.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from capeval.export.page import Bullets, Heading, Pairs, Paragraph, Picture, ReportPage, Table
from capeval.i18n import t

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph as WordParagraph

# h1 is the document's title; a report's sections (h2) are Word's level 1
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3", 5: "Heading 4", 6: "Heading 4"}
OTHER_STYLES = ("List Bullet", "List Number", "Caption", "Table Grid")
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
FIGURE_WIDTH_MM = 160


def report_docx(page: ReportPage) -> bytes:
    """The report ``page`` as the bytes of a .docx file (A4, page numbers in the footer)."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    properties = document.core_properties
    properties.title = page.title
    properties.language = LANGUAGE_TAGS.get(page.language, page.language)
    properties.author = properties.last_modified_by = "capeval"
    properties.comments = ""
    _page_numbers(document, page.language)
    # python-docx looks a style up by name in styles.xml on every call: look each up once
    style_ids = {name: document.styles[name].style_id for name in {*HEADING_STYLES.values(), *OTHER_STYLES}}

    def add(text: str = "", style: str | None = None) -> WordParagraph:
        paragraph = document.add_paragraph(text)
        if style is not None:
            paragraph._p.style = style_ids[style]
        return paragraph

    for block in page.blocks:
        if isinstance(block, Heading):
            add(block.text, HEADING_STYLES[block.level])
        elif isinstance(block, Paragraph):
            add().add_run(block.text).italic = block.note or None
        elif isinstance(block, Bullets):
            for item in block.items:
                add(item, "List Number" if block.ordered else "List Bullet")
        elif isinstance(block, Pairs):
            for label, value in block.items:
                paragraph = add()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, Table):
            _table(document, block, style_ids["Table Grid"])
            add()  # Word joins two tables that touch into one
        elif isinstance(block, Picture):
            _picture(document, block)
            if block.caption:
                add(block.caption, "Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Document, block: Table, style_id: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rows = [*block.header, *block.rows]
    width = max((len(row) for row in rows), default=0)
    if not width:
        return
    table = document.add_table(rows=len(rows), cols=width)
    table._tbl.tblStyle_val = style_id
    cells = table._cells  # every cell at once: a row's .cells walks the whole table again
    for number, row in enumerate(rows):
        is_header = number < len(block.header)
        if is_header:
            _repeat_as_header(table.rows[number])
        for column, cell in enumerate(row[:width]):
            paragraph = cells[number * width + column].paragraphs[0]
            paragraph.add_run(cell.text).bold = is_header or None
            if cell.numeric and not is_header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_as_header(row: object) -> None:
    """Mark a table row as a header row: Word and LibreOffice repeat it on every page the table spans."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _picture(document: Document, block: Picture) -> None:
    from docx.shared import Emu, Mm

    width = Mm(FIGURE_WIDTH_MM)
    shape = document.add_picture(io.BytesIO(block.png))
    if shape.width is not None and shape.width > width:
        ratio = width / shape.width
        shape.width, shape.height = Emu(int(width)), Emu(int((shape.height or 0) * ratio))
    shape._inline.docPr.set("descr", block.alt)  # the alt text Word and screen readers read
    shape._inline.docPr.set("title", block.caption or block.alt[:80])


def _page_numbers(document: Document, language: str) -> None:
    """ "Page N of M" centred in the footer of every page (Word's PAGE and NUMPAGES fields)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, between = t("export_page_of", language, page="\0", pages="\0").split("\0")[:2]
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(between)
    _field(paragraph, "NUMPAGES")


def _field(paragraph: WordParagraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``paragraph``: python-docx has no call for fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text or ""
