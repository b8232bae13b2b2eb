"""The workbench's one piece of browser code: keys stay inside it, and the app's URL follows the selection.

JupyterLab reads every key pressed on the page (``m`` turns the focused cell into Markdown,
``d d`` deletes it), also keys pressed in a widget inside the cell's output. The workbench
marks its root with ``data-lm-suppress-shortcuts`` (Lumino's own opt-out) and stops key
events there, so no key typed in a picker reaches the notebook. In the Voilà app the page's
query string is kept equal to :attr:`PageBridge.query`, so the address can be shared.
"""

from __future__ import annotations

import anywidget
import traitlets

ROOT_CLASS = "capeval-workbench"

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


# A tab scrolls inside itself, so the pickers above it stay in view while it is read.
STYLE = f"""<style>
.{ROOT_CLASS} {{ max-width: 100%; }}
.{ROOT_CLASS} .wb-tabs .widget-html-content {{ max-height: 70vh; overflow: auto; }}
.{ROOT_CLASS} .lm-TabBar-tab {{ flex: 0 0 auto; min-width: fit-content; max-width: none; }}
.{ROOT_CLASS} .lm-TabBar-content {{ flex-wrap: wrap; }}
.{ROOT_CLASS} table.data {{ border-collapse: collapse; margin: 0.5em 0; }}
.{ROOT_CLASS} table.data th, .{ROOT_CLASS} table.data td {{ border-bottom: 1px solid #ccc; padding: 2px 8px; }}
.{ROOT_CLASS} td.num {{ text-align: right; }}
.{ROOT_CLASS} p.note, .{ROOT_CLASS} p.no-data {{ color: #555; font-style: italic; }}
.{ROOT_CLASS} p.flag {{ color: #a40000; font-weight: bold; }}
.{ROOT_CLASS} figure img {{ max-width: 100%; }}
.{ROOT_CLASS} .wb-compare {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }}
.{ROOT_CLASS} .wb-compare > div {{ min-width: 0; overflow-x: auto; }}
</style>"""
