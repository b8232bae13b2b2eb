// Filter the report table by free text, track and status; works from file:// with no network.
(function () {
  var table = document.getElementById("reports");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var search = document.getElementById("search");
  var track = document.getElementById("track");
  var status = document.getElementById("status");
  var counter = document.getElementById("shown");
  function apply() {
    var text = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!text || row.textContent.toLowerCase().indexOf(text) >= 0) &&
        (!track.value || row.getAttribute("data-track") === track.value) &&
        (!status.value || row.getAttribute("data-status") === status.value);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    counter.textContent = String(shown);
  }
  [search, track, status].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
  apply();
})();
