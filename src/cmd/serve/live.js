// Added by gongkai serve to the pages it sends (never to what gongkai build writes): reload
// after a rebuild; after a failed one, show its errors over the page until the file is fixed.
(() => {
  "use strict";
  // From the generation the page was served at: an event between serving it and this
  // stream connecting (an edited page shown first, then the rebuild) is not missed.
  const since = document.currentScript && document.currentScript.dataset.since;
  const events = new EventSource("/__gongkai/events" + (since ? `?since=${encodeURIComponent(since)}` : ""));
  let panel = null;

  function show(failure) {
    if (!document.querySelector('link[href="/__gongkai/live.css"]')) {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/__gongkai/live.css";
      document.head.appendChild(css);
    }
    if (panel) panel.remove();
    panel = document.createElement("section");
    panel.className = "gongkai-live-failed";
    panel.setAttribute("role", "alert");
    const h = document.createElement("h2");
    h.textContent = "构建失败：网站仍是上一次成功构建的版本";
    panel.appendChild(h);
    const p = document.createElement("p");
    p.textContent = "请按下面的提示改正并保存文件，页面会自动刷新。";
    panel.appendChild(p);
    const list = document.createElement("ol");
    for (const e of failure.errors || []) {
      const li = document.createElement("li");
      const where = document.createElement("div");
      where.className = "where";
      where.textContent = `${e.file}${e.line ? `:${e.line}` : ""}${e.column ? `:${e.column}` : ""} [${e.code}]`;
      const message = document.createElement("div");
      message.className = "message";
      message.textContent = e.message;
      li.append(where, message);
      if (e.hint) {
        const hint = document.createElement("div");
        hint.className = "hint";
        hint.textContent = `提示：${e.hint}`;
        li.appendChild(hint);
      }
      list.appendChild(li);
    }
    panel.appendChild(list);
    document.body.appendChild(panel);
  }

  // Marks the page as listening (what tests wait for before they edit a file).
  events.addEventListener("open", () => { document.documentElement.dataset.gongkaiLive = "open"; });
  // A reload names the pages it is for ("only") or those that show what it made already
  // ("except"); without either, every page reloads.
  events.addEventListener("reload", (ev) => {
    const said = JSON.parse(ev.data || "{}");
    // The site names pages as written (a slug may be Chinese); the address bar encodes them.
    let here = location.pathname;
    try { here = decodeURIComponent(here); } catch (e) { /* left as it is */ }
    if (said.only && !said.only.includes(here)) return;
    if (said.except && said.except.includes(here)) return;
    location.reload();
  });
  events.addEventListener("failed", (ev) => show(JSON.parse(ev.data)));
})();
