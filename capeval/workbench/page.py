"""The workbench's one piece of browser code: keys stay inside it, and the app's URL follows the selection.

JupyterLab reads every key pressed on the page (``m`` turns the focused cell into Markdown,
``d d`` deletes it), also keys pressed in a widget inside the cell's output. The workbench
marks its root with ``data-lm-suppress-shortcuts`` (Lumino's own opt-out) and stops key
events there, so no key typed in a picker reaches the notebook. In the Voilà app the page's
query string is kept equal to :attr:`PageBridge.query`, so the address can be shared.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import anywidget
import traitlets

ROOT_CLASS = "capeval-workbench"
QUERY_KEYS = ("programme", "track", "partner", "tab", "language")

ESM = """
function guard(root) {
  if (root.dataset.capevalGuarded) return;
  root.dataset.capevalGuarded = "1";
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  if (!root.hasAttribute("tabindex")) root.tabIndex = -1;  // a click on text keeps the focus inside
  for (const type of ["keydown", "keyup", "keypress"]) {
    root.addEventListener(type, (event) => event.stopPropagation());
  }
}

function render({ model, el }) {
  let tries = 0;
  const attach = () => {
    const root = el.closest("." + model.get("root_class"));
    if (root) guard(root);
    else if (tries++ < 600) requestAnimationFrame(attach);
  };
  attach();
  const follow = () => {
    if (!model.get("app")) return;
    const query = model.get("query");
    history.replaceState(history.state, "", query ? "?" + query : location.pathname);
  };
  model.on("change:query", follow);
  follow();
}

export default { render };
"""


class PageBridge(anywidget.AnyWidget):
    """An invisible widget inside the workbench: guards its keys; in the app, writes ``query`` to the URL."""

    _esm = traitlets.Unicode(ESM).tag(sync=True)
    root_class = traitlets.Unicode(ROOT_CLASS).tag(sync=True)
    app = traitlets.Bool(False).tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)


def selection_from_query(query: str) -> dict[str, str]:
    """The selection a query string names (``programme``, ``track``, ``partner``, ``tab``, ``language``)."""
    found = parse_qs(query.lstrip("?"), keep_blank_values=False)
    return {key: found[key][0] for key in QUERY_KEYS if found.get(key)}


def query_of(selection: dict[str, str]) -> str:
    """The query string of a selection, its keys in a fixed order (empty values left out)."""
    return urlencode([(key, selection[key]) for key in QUERY_KEYS if selection.get(key)])
