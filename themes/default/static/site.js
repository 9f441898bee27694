// Reading aids (适老化): font size and high contrast, remembered across pages; the print button.
// The page is complete without this script; it only adds the switches.
(function () {
  "use strict";
  var root = document.documentElement;
  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }
  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function setFont(size) {
    root.setAttribute("data-font", size);
    document.querySelectorAll("[data-font]").forEach(function (b) {
      if (b.tagName === "BUTTON") b.setAttribute("aria-pressed", String(b.getAttribute("data-font") === size));
    });
    store("gk-font", size);
  }
  function setContrast(on) {
    root.classList.toggle("high-contrast", on);
    var t = document.querySelector(".contrast-toggle");
    if (t) t.setAttribute("aria-pressed", String(on));
    store("gk-contrast", on ? "1" : "0");
  }
  root.classList.add("js");
  setFont(load("gk-font") || "normal");
  setContrast(load("gk-contrast") === "1");
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button") : null;
    if (!b) return;
    if (b.hasAttribute("data-font")) setFont(b.getAttribute("data-font"));
    if (b.classList.contains("contrast-toggle")) setContrast(!root.classList.contains("high-contrast"));
    // Here rather than in an onclick attribute, which the Content-Security-Policy blocks.
    if (b.classList.contains("print-button")) window.print();
  });
})();
