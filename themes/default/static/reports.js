// Sorts the year's comparison table in place. Without this script every header is a link to a
// pre-rendered page in that order; with it the same links sort without a page load, and the
// address bar still shows the pre-rendered page's URL so it can be shared.
(function () {
  "use strict";
  var table = document.getElementById("compare");
  if (!table || !table.tBodies.length || !window.history || !history.replaceState) return;
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var caption = table.caption;
  // The pre-rendered page of an order, as the generator names it (render/reports.rs SortKey::url).
  function urlFor(key, dir, def) {
    var y = table.getAttribute("data-year");
    if (key === "agency" && dir === "asc") return "/reports/" + y + "/";
    return "/reports/" + y + "/sort/" + key + "/" + (dir === def ? "" : dir + "/");
  }
  function value(row, col) {
    var v = row.cells[col].getAttribute("data-value");
    return v === "" || v === null ? null : parseFloat(v);
  }
  table.tHead.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.sort-link") : null;
    if (!link) return;
    var th = link.closest("th");
    var col = heads.indexOf(th);
    if (col < 0) return;
    ev.preventDefault();
    var current = th.getAttribute("aria-sort");
    var dir = current ? (current === "ascending" ? "desc" : "asc") : th.getAttribute("data-default-dir");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    // As on the pre-rendered pages: rows without a value last, ties in the agencies' order.
    rows.sort(function (a, b) {
      var x = value(a, col), y = value(b, col);
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else if (x !== y) {
        return dir === "asc" ? x - y : y - x;
      }
      return parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h) {
      var active = h === th;
      var next = active ? (dir === "asc" ? "desc" : "asc") : h.getAttribute("data-default-dir");
      var a = h.querySelector("a.sort-link");
      a.setAttribute("href", urlFor(h.getAttribute("data-key"), next, h.getAttribute("data-default-dir")));
      a.querySelector(".visually-hidden").textContent = "（" + h.getAttribute("data-hint-" + next) + "）";
      h.querySelector(".sort-mark").textContent = active ? (dir === "asc" ? "▲" : "▼") : "";
      if (active) h.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
      else h.removeAttribute("aria-sort");
    });
    if (caption) caption.textContent = caption.textContent.replace(/（当前：.*）$/, "（当前：" + th.getAttribute("data-hint-" + dir) + "）");
    history.replaceState(null, "", urlFor(th.getAttribute("data-key"), dir, th.getAttribute("data-default-dir")));
  });
})();
