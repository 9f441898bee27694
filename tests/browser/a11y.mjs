// Accessibility, phones and the 适老化 requirements of docs/accessibility.md, on the demo
// portal in Debian's headless chromium:
// - the W3C Nu validator finds no error in any page of the site;
// - axe-core finds no WCAG 2.1 A or AA violation on any kind of page, at desktop width (1280
//   px) and phone width (390 px), at 特大 and in high contrast;
// - at 390 px and every font setting no page scrolls sideways, no table cell squeezes text
//   into a one-character column, and dates and codes are never broken across lines; the
//   navigation folds behind a menu that works by keyboard and without JavaScript;
// - what docs/accessibility.md lists that a browser can measure: font sizes, line heights,
//   placeholder contrast, visible focus, every control reached by Tab, no pop-ups, nothing
//   moving, print styles;
// - a phone-size screenshot of every kind of page at 标准 and 特大, for a person to look at.
// Usage: node a11y.mjs BASE SITE_DIR SCREENSHOT_DIR
//   BASE is where the site is served, SITE_DIR the same site's files (for the validator).
import { launch } from "./launch.mjs";
import { PAGE_KINDS } from "./pages.mjs";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [base, site, shots] = process.argv.slice(2);
assert.ok(base && site && shots, "usage: node a11y.mjs BASE SITE_DIR SCREENSHOT_DIR");
const require = createRequire(import.meta.url);

// Beyond one page of each kind: a document whose Markdown table is wider than a phone at 特大,
// and the people's government's report, the largest national form.
const PAGES = [...PAGE_KINDS, "/documents/2025/sthj-eia-results-2025q1/", "/reports/2024/gov/"];
const PHONE = 390;
const DESKTOP = 1280;
// The three font settings of site.js, and the root font size each gives.
const FONTS = { normal: 16, large: 20, xlarge: 24 };

let failures = 0;
// A11Y_ONLY=<regex> runs only the checks whose name matches, while working on one of them.
const only = process.env.A11Y_ONLY ? new RegExp(process.env.A11Y_ONLY) : null;
async function check(name, fn) {
  if (only && !only.test(name)) return;
  const start = Date.now();
  try { await fn(); console.log(`ok - ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`); }
  catch (e) { failures++; console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").join("\n  ")}`); }
}

// ---------------------------------------------------------------------------------------------
// The W3C Nu validator, over every file of the site at once (one JVM start).

/** Every .html file under `dir`. */
function htmlFiles(dir) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".html")).map((f) => path.join(dir, f));
}

await check("the W3C Nu validator finds no error on any page of the site", async () => {
  const pages = htmlFiles(site);
  assert.ok(pages.length > 200, `only ${pages.length} pages in ${site}`);
  // A page with a known error goes along, so that a validator that checks nothing fails here.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-vnu-"));
  const planted = path.join(tmp, "planted.html");
  fs.writeFileSync(planted, fs.readFileSync(path.join(site, "index.html"), "utf8").replace("<main ", '<div aria-label="x"></div><main '));
  const run = spawnSync("java", ["-jar", String(require("vnu-jar")), "--format", "json", "--skip-non-html", site, planted],
    { encoding: "utf8", maxBuffer: 256 << 20 });
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(run.stderr.trim().startsWith("{"), `the validator did not run: ${run.error || ""} ${run.stderr.slice(0, 2000)}`);
  const messages = JSON.parse(run.stderr).messages;
  const mine = (m) => m.url && m.url.endsWith("/planted.html");
  assert.ok(messages.some((m) => mine(m) && m.type === "error" && /aria-label/.test(m.message)), "the planted error went unnoticed");
  // One line per message, with how many pages have it and where it is on the first.
  const grouped = (list) => {
    const by = new Map();
    for (const m of list) {
      const at = `${m.url.replace("file:" + site, "")}:${m.lastLine}`;
      by.set(m.message, [...(by.get(m.message) || []), at]);
    }
    return [...by].map(([message, at]) => `${message} (${at.length} × , first ${at[0]})`);
  };
  const errors = messages.filter((m) => !mine(m) && m.type !== "info");
  assert.deepEqual(grouped(errors), []);
  // Read from files, the pages' own policy refuses their stylesheets and scripts ('self' is
  // no origin for a file: URL): not a fault of the pages.
  const warnings = messages.filter((m) => !mine(m) && m.type === "info" && m.subType === "warning"
    && !m.message.startsWith("Resource violates Content Security Policy"));
  console.log(`# Nu validator: ${pages.length} pages, no errors, ${warnings.length} warnings`);
  for (const w of grouped(warnings)) console.log(`#   warning: ${w}`);
});

// ---------------------------------------------------------------------------------------------
// The browser.

const browser = await launch();
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const popups = [];

/** A browser context at `width` with site.js's remembered font setting and contrast. */
async function visitor({ width, font = "normal", contrast = false, js = true }) {
  const context = await browser.newContext({ viewport: { width, height: 844 }, javaScriptEnabled: js });
  await context.addInitScript(([f, c]) => {
    try { localStorage.setItem("gk-font", f); localStorage.setItem("gk-contrast", c ? "1" : "0"); } catch (e) { /* none */ }
  }, [font, contrast]);
  context.on("page", (p) => {
    // Every page but the first one the test opens is a pop-up.
    if (context.pages().length > 1) popups.push(p.url());
    p.on("dialog", (d) => { popups.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  });
  return context;
}

/** page.goto, tried twice: on a heavily loaded machine a first navigation can time out. */
async function goto(page, url) {
  try {
    await page.goto(base + url, { timeout: 20000, waitUntil: "load" });
  } catch (e) {
    console.log(`# retrying ${url}: ${String(e.message || e).split("\n")[0]}`);
    await page.goto(base + url, { timeout: 30000, waitUntil: "load" });
  }
  if (url.startsWith("/search/")) await page.waitForLoadState("networkidle");
}

/** axe-core's WCAG 2.1 A and AA violations on the page, one line each. */
async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
}

const slug = (url) => url === "/" ? "home" : url.replace(/^\/|\/$/g, "").replace(/\//g, "-");

/** Runs in the page: what is wrong with its layout at the current width. On a phone the
 *  national report tables and wide Markdown tables may scroll in their own box (catalog
 *  tables are cards there); on a desktop nothing may. */
function layoutProblems(phone) {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) out.push(`the page is ${doc.scrollWidth} px wide, the window ${window.innerWidth}`);
  // Cells, captions and anything else with text of its own: a column of single characters.
  const clipped = (el) => {
    for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).clipPath === "inset(50%)") return true;
    return false;
  };
  for (const c of document.querySelectorAll("body *")) {
    if (c.closest("svg, script, style, noscript, template") || !c.getClientRects().length) continue;
    const own = [...c.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
    if (!c.matches("td, th") && [...own].length < 4) continue;
    const text = c.innerText.trim();
    const w = c.getBoundingClientRect().width;
    if ([...text].length >= 4 && w < 40 && !clipped(c)) {
      out.push(`${c.matches("td, th") ? "a cell" : "a " + c.tagName.toLowerCase()} ${w.toFixed(0)} px wide holds “${text.slice(0, 12)}”`);
    }
  }
  // A chart's labels never run into each other (the legend at a large font setting did).
  for (const svg of document.querySelectorAll("svg.chart")) {
    const boxes = [...svg.querySelectorAll("text")].map((t) => [t.textContent, t.getBoundingClientRect()]);
    for (const [i, [a, ra]] of boxes.entries()) {
      for (const [b, rb] of boxes.slice(i + 1)) {
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 1) out.push(`chart labels “${a}” and “${b}” overlap`);
      }
    }
  }
  // Dates in the generator's own sentences too ("应于 2025-03-31 前发布"); an officer's
  // Chinese prose (.prose) is left to break as Chinese text does, but not an ISO date in it.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    if (!n.parentElement.getClientRects().length || n.parentElement.closest("time, .keep, .code, script, style")) continue;
    const pattern = n.parentElement.closest(".prose") ? /\d{4}-\d{1,2}-\d{1,2}/g : /\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?/g;
    for (const m of n.textContent.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) out.push(`the date “${m[0]}” is broken across ${lines.size} lines`);
    }
  }
  for (const e of document.querySelectorAll("time, .keep, .code")) {
    const range = document.createRange();
    range.selectNodeContents(e);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size > 1) out.push(`“${e.textContent.trim()}” is broken across ${lines.size} lines`);
  }
  for (const e of document.querySelectorAll("body *")) {
    if (e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(e).overflowX)
      && !(phone && e.matches(".table-wrap") && !e.querySelector("table.list"))) {
      out.push(`${e.tagName.toLowerCase()}.${e.className} scrolls sideways: “${e.textContent.trim().slice(0, 20)}”`);
    }
  }
  return out;
}

/** Runs in the page: text smaller than `min` px or with a line height below 1.3 (1.5 for body
 *  text), and body text smaller than `body` px. Chart labels (SVG) are left out: they scale
 *  with the chart, and the numbers are in the table beside it. */
function textProblems([min, body]) {
  const out = [];
  const hidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.clipPath === "inset(50%)" || cs.clip === "rect(0px, 0px, 0px, 0px)") return true;
    }
    return false;
  };
  const bodyText = "main p:not([class]), main li:not([class]), main dd:not([class]), main td:not([class])";
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg, script, style, noscript, template")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === "hidden" || hidden(el)) continue;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    const lh = cs.lineHeight === "normal" ? NaN : parseFloat(cs.lineHeight) / size;
    const what = `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} “${el.textContent.trim().slice(0, 10)}”`;
    if (size < min - 0.05) out.push(`${what}: ${size} px`);
    if (!(lh >= 1.3 - 0.01)) out.push(`${what}: line height ${cs.lineHeight} at ${size} px`);
    // The national form's numbers are set a little smaller so that its ten columns fit.
    if (el.matches(bodyText) && !el.closest(".report-form")) {
      if (size < body - 0.05) out.push(`${what}: body text ${size} px`);
      if (!(lh >= 1.5 - 0.01)) out.push(`${what}: body text line height ${cs.lineHeight} at ${size} px`);
    }
  }
  return [...new Set(out)];
}

/** Runs in the page: the search box's placeholder against the box, as a contrast ratio. */
function placeholderContrast() {
  const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const input = document.getElementById("site-q");
  const fg = getComputedStyle(input, "::placeholder").color;
  const bg = getComputedStyle(input).backgroundColor;
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

// ---------------------------------------------------------------------------------------------
// Phones: every kind of page at 390 px and every font setting.

for (const [font, root] of Object.entries(FONTS)) {
  await check(`at ${PHONE} px and font ${font}: layout, text sizes and line heights, axe, screenshots`, async () => {
    const context = await visitor({ width: PHONE, font });
    const page = await context.newPage();
    const problems = [];
    const dir = path.join(shots, `phone-${font}`);
    const shoot = font !== "large";
    if (shoot) fs.mkdirSync(dir, { recursive: true });
    for (const url of PAGES) {
      await goto(page, url);
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
      if (size !== root) problems.push(`${url}: font ${font} is ${size} px, not ${root}`);
      for (const p of await page.evaluate(layoutProblems, true)) problems.push(`${url}: ${p}`);
      // 标准 text is the browser's 16 px; no text smaller than three quarters of the setting.
      for (const p of await page.evaluate(textProblems, [root * 0.75, root])) problems.push(`${url}: ${p}`);
      const header = await page.evaluate(() => ({
        nav: getComputedStyle(document.querySelector(".site-nav")).display,
        menu: document.querySelector(".menu") ? getComputedStyle(document.querySelector(".menu")).display : "none",
        bottom: document.querySelector(".site-header").getBoundingClientRect().bottom,
      }));
      if (header.nav !== "none" || header.menu === "none") problems.push(`${url}: the navigation is not folded behind the menu`);
      // The content starts in the top half of the screen, whatever the setting.
      if (header.bottom > 844 / 2) problems.push(`${url}: the header is ${header.bottom} px tall`);
      if (shoot) {
        for (const v of await axe(page)) problems.push(`${url}: ${v}`);
        await page.screenshot({ path: path.join(dir, `${slug(url)}.png`), fullPage: true });
      }
    }
    {
      // The search page with results and its category filter open, one category chosen
      // (the longest names wrap inside their buttons): checked, and photographed.
      const url = "/search/?q=" + encodeURIComponent("通知") + "&category=" + encodeURIComponent("城乡建设、环境保护");
      await goto(page, url);
      await page.waitForFunction(() => document.querySelectorAll('#search-facets button[data-key="category"]').length > 1, null, { timeout: 30000 });
      for (const p of await page.evaluate(layoutProblems, true)) problems.push(`search by category: ${p}`);
      for (const p of await page.evaluate(textProblems, [root * 0.75, root])) problems.push(`search by category: ${p}`);
      if (shoot) {
        for (const v of await axe(page)) problems.push(`search by category: ${v}`);
        await page.screenshot({ path: path.join(dir, "search-categories.png"), fullPage: true });
      }
    }
    if (font === "xlarge") {
      // The open menu too: its links are checked and photographed.
      await goto(page, "/documents/");
      await page.locator(".menu summary").click();
      for (const v of await axe(page)) problems.push(`open menu: ${v}`);
      await page.screenshot({ path: path.join(dir, "menu-open.png") });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

// ---------------------------------------------------------------------------------------------
// Desktop: the same at 1280 px, at 标准 and at 特大 in high contrast.

for (const [font, contrast] of [["normal", false], ["xlarge", true]]) {
  await check(`at ${DESKTOP} px, font ${font}${contrast ? ", high contrast" : ""}: layout, text, axe`, async () => {
    const context = await visitor({ width: DESKTOP, font, contrast });
    const page = await context.newPage();
    const problems = [];
    for (const url of PAGES) {
      await goto(page, url);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains("high-contrast")), contrast);
      for (const p of await page.evaluate(layoutProblems, false)) problems.push(`${url}: ${p}`);
      for (const p of await page.evaluate(textProblems, [FONTS[font] * 0.75, FONTS[font]])) problems.push(`${url}: ${p}`);
      const shown = await page.evaluate(() => [".site-nav", ".menu"].map((s) => document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display : "none"));
      if (shown[0] === "none" || shown[1] !== "none") problems.push(`${url}: the navigation is folded on a desktop`);
      for (const v of await axe(page)) problems.push(`${url}: ${v}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

// ---------------------------------------------------------------------------------------------
// The menu, the keyboard and focus.

await check("on a phone the menu opens the navigation by keyboard, with and without JavaScript", async () => {
  for (const js of [true, false]) {
    const context = await visitor({ width: PHONE, font: js ? "xlarge" : "normal", js });
    const page = await context.newPage();
    await goto(page, "/documents/");
    const nav = page.locator(".site-nav");
    assert.equal(await nav.isVisible(), false, "the navigation shows before the menu is opened");
    // Tab to the menu: the skip link, the site title, the reading aids (with JavaScript), the menu.
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement.matches(".menu summary"))); i++) await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => document.activeElement.matches(".menu summary")), "Tab never reached the menu");
    await page.keyboard.press("Enter");
    assert.ok(await nav.isVisible(), "Enter did not open the menu");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "首页", "the navigation does not follow the menu");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press(" ");
    assert.equal(await nav.isVisible(), false, "Space did not close the menu");
    await context.close();
  }
});

/** Tabs through the page from its start; returns the visible focusable elements never reached
 *  and the focused ones without a visible focus ring or out of view. */
async function tabThrough(page) {
  const total = await page.evaluate(() => {
    const all = document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])");
    let n = 0;
    for (const e of all) {
      // checkVisibility also leaves out what a closed <details> holds, which has boxes.
      const shown = e.checkVisibility ? e.checkVisibility({ visibilityProperty: true }) : e.getClientRects().length && getComputedStyle(e).visibility !== "hidden";
      if (!shown || e.disabled) continue;
      e.dataset.gkTab = String(n++);
    }
    // Tab from the start of the page, wherever a script put the focus.
    const start = document.createElement("span");
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    return n;
  });
  const seen = new Set();
  const bad = [];
  for (let i = 0; i < total + 3; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return {
        n: e.dataset.gkTab,
        ring: (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== "none",
        inView: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
        what: e.outerHTML.slice(0, 80),
      };
    });
    if (!f) break;
    if (f.n !== undefined) seen.add(f.n);
    if (!f.ring) bad.push(`no visible focus: ${f.what}`);
    if (!f.inView) bad.push(`focused out of view: ${f.what}`);
  }
  const missed = await page.evaluate((seen) => [...document.querySelectorAll("[data-gk-tab]")]
    .filter((e) => !seen.includes(e.dataset.gkTab)).map((e) => e.outerHTML.slice(0, 80)), [...seen]);
  return [...missed.map((m) => `never reached by Tab: ${m}`), ...bad];
}

for (const [width, font] of [[DESKTOP, "normal"], [PHONE, "xlarge"]]) {
  await check(`at ${width} px and font ${font}: Tab reaches every control, each with a visible focus ring`, async () => {
    const context = await visitor({ width, font });
    const page = await context.newPage();
    const problems = [];
    for (const url of PAGES) {
      // The search page with results, facets and the button for more.
      const search = url === "/search/" ? "?q=" + encodeURIComponent("通知") : "";
      await goto(page, url + search);
      if (search) await page.waitForFunction(() => document.getElementById("search-results")?.dataset.q === "通知", null, { timeout: 30000 });
      for (const p of await tabThrough(page)) problems.push(`${url}: ${p}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

// ---------------------------------------------------------------------------------------------
// No pop-ups, nothing moving, print.

/** Runs in the page: what would open a window or a dialog, move, or reload by itself. */
function stillProblems() {
  return [
    ...[...document.querySelectorAll("a[target], form[target], dialog, [role=dialog], [role=alertdialog], marquee, blink, video[autoplay], audio[autoplay], meta[http-equiv=refresh i]")]
      .map((e) => e.outerHTML.slice(0, 80)),
    ...document.getAnimations().map((a) => `an animation: ${a.animationName || a.constructor.name}`),
  ];
}

await check("no pop-ups, new windows or moving content", async () => {
  const context = await visitor({ width: PHONE });
  const page = await context.newPage();
  const problems = [];
  for (const url of PAGES) {
    await goto(page, url);
    for (const f of await page.evaluate(stillProblems)) problems.push(`${url}: ${f}`);
  }
  // Nothing changes on screen by itself: two pictures a second apart are the same.
  for (const url of ["/", "/deadlines/", "/agencies/fgw/reports/"]) {
    await goto(page, url);
    const a = await page.screenshot({ fullPage: true });
    await page.waitForTimeout(1000);
    const b = await page.screenshot({ fullPage: true });
    if (!a.equals(b)) problems.push(`${url}: the page changed by itself`);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(popups, []);
  await context.close();
});

await check("placeholder text has 4.5:1 contrast in both colour schemes", async () => {
  for (const contrast of [false, true]) {
    const context = await visitor({ width: PHONE, contrast });
    const page = await context.newPage();
    await goto(page, "/");
    const ratio = await page.evaluate(placeholderContrast);
    assert.ok(ratio >= 4.5, `placeholder contrast ${ratio.toFixed(2)}:1${contrast ? " in high contrast" : ""}`);
    await context.close();
  }
});

await check("print: the page's content without header, navigation, menu or search", async () => {
  for (const [width, font] of [[DESKTOP, "normal"], [PHONE, "xlarge"]]) {
    const context = await visitor({ width, font });
    const page = await context.newPage();
    for (const url of ["/documents/2025/gov-business-env-2025/", "/documents/", "/reports/2024/gov/"]) {
      await goto(page, url);
      await page.emulateMedia({ media: "print" });
      const shown = await page.evaluate(() => Object.fromEntries(
        [".site-header", ".site-nav", ".menu", ".search-row", ".breadcrumbs", ".skip-link", "main"].map((s) => {
          const e = document.querySelector(s);
          return [s, !!e && !!e.getClientRects().length && getComputedStyle(e).display !== "none"];
        })));
      assert.deepEqual(shown, { ".site-header": false, ".site-nav": false, ".menu": false, ".search-row": false, ".breadcrumbs": false, ".skip-link": false, main: true }, url);
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontSize), "14.6667px", `${url}: print text is not 11 pt`);
      await page.emulateMedia({ media: "screen" });
    }
    await context.close();
  }
});

await check("axe and the checks above see what they look for", async () => {
  // Without this, checks that never fire would pass everything above.
  const context = await visitor({ width: PHONE, font: "xlarge" });
  const page = await context.newPage();
  await goto(page, "/documents/");
  await page.evaluate(() => {
    document.querySelector("main").insertAdjacentHTML("afterbegin",
      '<img src="/x.png"><p class="gk-test">2025-09-10 is a date</p><table><tr><td class="gk-test2">发文机关名称</td><td>' + "很长的文字".repeat(40) + "</td></tr></table>");
    // Through the CSSOM: the policy refuses style attributes.
    document.querySelector(".gk-test2").style.padding = "0";
    // Not only cells: a caption or heading can be squeezed as well.
    document.querySelector("main").insertAdjacentHTML("afterbegin", '<p class="gk-t3">历年报告及发布时限</p>');
    document.querySelector(".gk-t3").style.width = "1em";
    document.querySelector("main").insertAdjacentHTML("afterbegin", '<p class="gk-t4">应于2025-03-31前发布</p>');
    document.querySelector(".gk-t4").style.width = "4em";
    document.querySelector("main").insertAdjacentHTML("afterbegin", '<svg class="chart" viewBox="0 0 200 40"><text x="0" y="20">行政复议</text><text x="10" y="20">行政诉讼</text></svg>');
    document.querySelector("main p:not([class])").style.lineHeight = "1.2";
  });
  assert.ok((await axe(page)).some((v) => v.startsWith("image-alt")), "axe missed an image without alt");
  await page.evaluate(() => {
    const p = document.querySelector(".gk-test");
    p.innerHTML = "<time>" + p.textContent + "</time>";
    p.style.width = "3em";
    p.firstChild.style.whiteSpace = "normal";
  });
  const layout = (await page.evaluate(layoutProblems, true)).join("\n");
  assert.match(layout, /broken across/);
  assert.match(layout, /a cell \d+ px wide holds “发文机关名称”/);
  assert.match(layout, /a p \d+ px wide holds “历年报告及发布时限”/);
  assert.match(layout, /the date “2025-03-31” is broken across/);
  assert.match(layout, /chart labels “行政复议” and “行政诉讼” overlap/);
  assert.match((await page.evaluate(textProblems, [18, 24])).join("\n"), /body text line height/);
  await page.evaluate(() => {
    const main = document.querySelector("main");
    main.insertAdjacentHTML("afterbegin", '<a href="/" class="gk-t1">甲</a><a href="/" class="gk-t2">乙</a><a href="/" target="_blank">丙</a>');
    main.querySelector(".gk-t1").tabIndex = -1;
    main.querySelector(".gk-t2").style.outline = "none";
    main.querySelector(".gk-t2").style.boxShadow = "none";
    main.animate([{ opacity: 1 }, { opacity: 0.9 }], { duration: 60000 });
  });
  const keyboard = (await tabThrough(page)).join("\n");
  assert.match(keyboard, /never reached by Tab: <a href="\/" class="gk-t1"/);
  assert.match(keyboard, /no visible focus: <a href="\/" class="gk-t2"/);
  const still = (await page.evaluate(stillProblems)).join("\n");
  assert.match(still, /target="_blank"/);
  assert.match(still, /an animation/);
  await context.close();
});

await browser.close();
console.log(`# screenshots: ${path.resolve(shots)}`);
console.log(failures === 0 ? "a11y: all checks passed" : `a11y: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
