// Deadline countdowns (期限提醒), recomputed in the browser so that a page built days ago still
// tells the truth. Plain JS, no requests. Without this script every page shows the due date and
// "数据生成于 <build date>", which is enough to work the days out by hand.
//
// Markup it understands:
//   <span data-days-left="N" data-due="YYYY-MM-DD" data-unit="calendar_days"
//         data-future="距截止还有" data-today="今天截止" data-past="已逾期">…</span>
//     The text is rewritten from the due date and today's date. Only calendar-day counts are
//     recomputed; a working-day count is left as built (its due date is shown beside it).
//   <time datetime="YYYY-MM-DD" data-countdown="YYYY-MM-DD">…</time>
//     A countdown "（距截止还有 N 天）" is added after the element.
//   <span data-when-past="公开征求意见已截止">正在公开征求意见</span>
//     Next to a recomputed count (same parent element): its text is replaced by data-when-past
//     once that count has passed, so "open" never sits beside "closed N days ago".
//   <p class="countdown-note" hidden>…</p>
//     Shown, with today's date, when the counts were recomputed for a later day than the build.
// The build date comes from <time> inside .build-date (the footer), or data-build-date on <html>.
(function () {
  "use strict";
  var DAY = 86400000;

  function parse(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
  }

  function iso(t) {
    return new Date(t).toISOString().slice(0, 10);
  }

  // Today in China Standard Time (UTC+8), like the build.
  function todayCst() {
    return parse(iso(Date.now() + 8 * 3600000));
  }

  function buildDate() {
    var el = document.querySelector(".build-date time[datetime]");
    var s = el ? el.getAttribute("datetime") : document.documentElement.getAttribute("data-build-date");
    return parse(s);
  }

  function phrase(days, el) {
    var future = el.getAttribute("data-future") || "距截止还有";
    var today = el.getAttribute("data-today") || "今天截止";
    var past = el.getAttribute("data-past") || "已逾期";
    if (days > 0) return future + " " + days + " 天";
    if (days === 0) return today;
    return past + " " + -days + " 天";
  }

  function run() {
    var built = buildDate();
    var today = todayCst();
    if (today === null) return;
    // A visitor's clock behind the build date: keep the build's view.
    if (built !== null && today < built) today = built;
    var changed = false;

    var spans = document.querySelectorAll("[data-days-left][data-due]");
    for (var i = 0; i < spans.length; i++) {
      var el = spans[i];
      if (el.getAttribute("data-unit") === "working_days") continue;
      var due = parse(el.getAttribute("data-due"));
      if (due === null) continue;
      var days = Math.round((due - today) / DAY);
      if (String(days) !== el.getAttribute("data-days-left")) changed = true;
      el.setAttribute("data-days-left", String(days));
      el.textContent = phrase(days, el);
      el.classList.toggle("is-past", days < 0);
      el.classList.toggle("is-today", days === 0);
      var states = el.parentNode ? el.parentNode.querySelectorAll("[data-when-past]") : [];
      for (var s = 0; s < states.length; s++) {
        if (days < 0 && states[s].parentNode === el.parentNode) {
          states[s].textContent = states[s].getAttribute("data-when-past");
        }
      }
    }

    var times = document.querySelectorAll("time[data-countdown]");
    for (var j = 0; j < times.length; j++) {
      var t = times[j];
      var d = parse(t.getAttribute("data-countdown"));
      if (d === null) continue;
      var n = Math.round((d - today) / DAY);
      var next = t.nextSibling;
      var out;
      if (next && next.nodeType === 1 && next.classList.contains("countdown")) {
        out = next;
      } else {
        out = document.createElement("span");
        out.className = "countdown";
        t.parentNode.insertBefore(out, t.nextSibling);
      }
      out.textContent = "（" + phrase(n, t) + "）";
    }

    if (built !== null && today > built) changed = true;
    var notes = document.querySelectorAll(".countdown-note");
    for (var k = 0; k < notes.length; k++) {
      if (!changed) continue;
      notes[k].textContent = "天数已按今天（" + iso(today) + "）重新计算；列表分组仍以数据生成日为准。";
      notes[k].hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
