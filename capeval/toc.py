"""A report page's table of contents: the mark a report's title section leaves, and the links that replace it.

Report sections write :data:`TOC_MARK`; :mod:`capeval.render` calls :func:`insert_toc` on the
finished page. Both import this small module, so neither imports the other.
"""

from __future__ import annotations

import html
import re

from capeval.visible import visible

TOC_MARK = "<!-- capeval:toc -->"
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


def insert_toc(page: str, label: str) -> str:
    """``page`` with its TOC mark replaced by links to every section heading (h2); unchanged without a mark."""
    if TOC_MARK not in page:
        return page
    entries = [f'<li><a href="#{ident}">{text}</a></li>' for ident, text in _H2.findall(page) if ident != "provenance"]
    title = html.escape(visible(label), quote=True)
    nav = f'<nav class="toc"><h2 id="contents">{title}</h2><ol>{"".join(entries)}</ol></nav>'
    return page.replace(TOC_MARK, nav, 1)
