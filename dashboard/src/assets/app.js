// Keyboard shortcuts for the dashboard. Everything also works without this file.
// "/" focuses the search box; j/k move through the rows of a list; Enter follows the row's link;
// "[" and "]" go to the previous and next page.
(function () {
  "use strict";
  function typing(t) {
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === "/") {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
      return;
    }
    if (e.key === "[" || e.key === "]") {
      var p = document.querySelector('a[data-key="' + e.key + '"]');
      if (p) { e.preventDefault(); p.click(); }
      return;
    }
    if (e.key !== "j" && e.key !== "k") return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
    if (!rows.length) return;
    var i = rows.indexOf(document.activeElement && document.activeElement.closest("[data-row]"));
    i = e.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1);
    var link = rows[i].querySelector("a");
    if (link) { e.preventDefault(); link.focus(); link.scrollIntoView({ block: "nearest" }); }
  });
})();
