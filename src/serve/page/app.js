// ovopsim serve: the page. Controls become `key=value` overrides (as --set
// takes them); a run streams server-sent events; charts are plain SVG.
"use strict";

// Line styles of the CLI charts (src/report/charts/style.rs): the baseline
// black solid with circles, the programme blue dashed with triangles, a
// pinned run vermillion dotted with squares.
const STYLES = {
  baseline: { colour: "rgb(0,0,0)", dash: "", marker: "circle", name: "No programme (baseline)" },
  programme: { colour: "rgb(0,114,178)", dash: "14 7", marker: "triangle", name: "This run" },
  pinned: { colour: "rgb(213,94,0)", dash: "4 5", marker: "square", name: "Pinned run" },
};

// The student's controls. `key` is the scenario key whose unit, range and
// meaning come from the parameter table; `owns` says which error keys belong
// to the control.
const CONTROLS = [
  { id: "approach", key: "approach", label: "Approach", kind: "select", options: ["ovop", "kawasan", "none"] },
  { id: "coordination", key: "coordination.quality", label: "Coordination quality", kind: "range", min: 0, max: 1, step: 0.05 },
  { id: "information", key: "information.quality", label: "Information quality", kind: "range", min: 0, max: 1, step: 0.05 },
  { id: "budget", key: "agencies[].budget", label: "Programme budget, all agencies", kind: "number", min: 0, step: 0.5,
    unit: "Rp billion per year", owns: (k) => /^agencies\[\d+\]\.budget$/.test(k) || k === "agencies",
    meaning: "the agencies' yearly budgets together; each keeps its share" },
  { id: "duration", key: "programme.duration_years", label: "Programme duration", kind: "number", min: 0, max: 100, step: 1 },
  { id: "targets", key: "programme.target_villages", label: "Targeted villages", kind: "number", min: 1, step: 1 },
  { id: "kur_supply", key: "finance.kur_supply", label: "Credit supply (KUR)", kind: "range", min: 0, max: 2, step: 0.05 },
  { id: "kur_rate", key: "finance.kur_micro_rates", label: "Credit rate (KUR, first loan)", kind: "number", min: 0, max: 1, step: 0.005,
    meaning: "yearly rate of a first KUR micro loan; later loans keep their steps above it" },
];
const EVENTS = [
  { id: "drought", key: "events.weather", label: "Drought (El Niño)", fields: [
    { id: "year", param: "events.weather[].year", label: "Start year", step: 1 },
    { id: "severity", param: "events.weather[].severity", label: "Severity", min: 0, max: 1, step: 0.1 },
    { id: "duration_months", param: "events.weather[].duration_months", label: "Length (months)", min: 1, step: 1 },
  ] },
  { id: "price", key: "events.price", label: "Price shock (all products)", fields: [
    { id: "year", param: "events.price[].year", label: "Start year", step: 1 },
    { id: "change", param: "events.price[].change", label: "Size (share; -0.5 halves prices)", min: -0.95, max: 10, step: 0.05 },
    { id: "duration_months", param: "events.price[].duration_months", label: "Length (months)", min: 1, step: 1 },
  ] },
];
const RUN_FIELDS = [
  { id: "years", key: "years", label: "Years", min: 1, step: 1 },
  { id: "reps", key: "reps", label: "Replications", min: 1, step: 1, unit: "runs with different random numbers" },
  { id: "seed", key: "seed", label: "Seed", min: 0, step: 1, unit: "same seed, same numbers" },
];

const $ = (id) => document.getElementById(id);
let init = null;       // /api/init
let scenario = null;   // the chosen scenario's entry
let start = {};        // control values as the scenario has them
let source = null;     // the EventSource of a running run
let last = null;       // the last progress event
let finished = null;   // the last done event (with its request and charts)
let pinned = null;     // a pinned finished run

function param(key) {
  const found = init.params.find((p) => p.key === key);
  if (found) return found;
  const generic = key.replace(/\[\d+\]/g, "[]");
  return init.params.find((p) => p.key === generic)
    || init.params.find((p) => p.key === generic.replace(/\.[^.]+$/, ".<kind>"));
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function hintText(p, extra) {
  const parts = [];
  if (extra.unit || (p && p.unit)) parts.push(extra.unit || p.unit);
  if (p && p.allowed && p.allowed !== "-" && !extra.unit) parts.push("allowed " + p.allowed);
  if (extra.meaning || (p && p.meaning)) parts.push(extra.meaning || p.meaning);
  return parts.join(" · ");
}

function field(c) {
  const p = param(c.key);
  const hint = el("p", { class: "hint", id: c.id + "-hint", text: hintText(p, c) });
  const err = el("p", { class: "error", id: c.id + "-error", role: "alert", hidden: true });
  const described = c.id + "-hint " + c.id + "-error";
  let input;
  if (c.kind === "select") {
    input = el("select", { id: c.id, "aria-describedby": described });
    for (const o of c.options) input.append(el("option", { value: o, text: o }));
  } else {
    input = el("input", { id: c.id, type: "number", min: c.min, max: c.max, step: c.step, "aria-describedby": described });
  }
  const row = el("div", { class: "row" }, input);
  if (c.kind === "range") {
    // The slider moves the number; the number is the value sent.
    const slider = el("input", { type: "range", min: c.min, max: c.max, step: c.step, "aria-label": c.label + " slider", tabindex: "-1" });
    slider.addEventListener("input", () => { input.value = slider.value; });
    input.addEventListener("input", () => { slider.value = input.value; });
    row.prepend(slider);
    input.slider = slider;
  }
  return el("div", { class: "field" }, el("label", { for: c.id, text: c.label }), row, hint, err);
}

function eventField(ev) {
  const box = el("input", { type: "checkbox", id: ev.id + "-on" });
  const fs = el("fieldset", { class: "field", id: ev.id + "-set", "aria-describedby": ev.id + "-error" },
    el("legend", {}, el("label", { for: ev.id + "-on", style: "display:inline" }, box, " " + ev.label)));
  for (const f of ev.fields) {
    const p = param(f.param);
    const id = ev.id + "-" + f.id;
    fs.append(el("div", { class: "row" },
      el("label", { for: id, text: f.label, style: "flex:1" }),
      el("input", { id, type: "number", min: f.min, max: f.max, step: f.step, title: hintText(p, {}), "aria-describedby": id + "-hint" })));
    fs.append(el("p", { class: "hint", id: id + "-hint", text: hintText(p, {}) }));
  }
  fs.append(el("p", { class: "error", id: ev.id + "-error", role: "alert", hidden: true }));
  return fs;
}

function buildForm() {
  const fields = $("fields");
  for (const c of CONTROLS) fields.append(field(c));
  for (const ev of EVENTS) fields.append(eventField(ev));
  const run = el("fieldset", { class: "field" }, el("legend", { text: "Run" }));
  for (const f of RUN_FIELDS) {
    const p = param(f.key);
    const max = f.id === "seed" ? null : init.limits[f.id];
    const hint = f.unit || ((p ? p.unit + " · " : "") + "at most " + max + " here");
    run.append(el("div", { class: "row" },
      el("label", { for: f.id, text: f.label, style: "flex:1" }),
      el("input", { id: f.id, type: "number", min: f.min, max, step: f.step, "aria-describedby": f.id + "-hint " + f.id + "-error" })));
    run.append(el("p", { class: "hint", id: f.id + "-hint", text: max && f.unit ? f.unit + " · at most " + max + " here" : hint }));
    run.append(el("p", { class: "error", id: f.id + "-error", role: "alert", hidden: true }));
  }
  fields.append(run);
}

// Values of the controls as the chosen scenario has them.
function scenarioValues(s) {
  const v = s.values;
  const budgets = Object.keys(v).filter((k) => /^agencies\[\d+\]\.budget$/.test(k)).map((k) => Number(v[k]));
  const rates = JSON.parse(v["finance.kur_micro_rates"] || "[0]");
  const event = (list, fields, defaults) => {
    const first = `${list}[0]`;
    const on = Object.keys(v).some((k) => k.startsWith(first + "."));
    const out = { on };
    for (const f of fields) out[f] = on && v[`${first}.${f}`] !== undefined ? v[`${first}.${f}`] : defaults[f];
    return out;
  };
  const y0 = Number(s.start_year);
  return {
    approach: v.approach,
    coordination: v["coordination.quality"],
    information: v["information.quality"],
    budget: String(budgets.reduce((a, b) => a + b, 0) / 1e9),
    budgets,
    duration: v["programme.duration_years"],
    targets: v["programme.target_villages"],
    kur_supply: v["finance.kur_supply"],
    kur_rate: String(rates[0]),
    rates,
    drought: event("events.weather", ["year", "severity", "duration_months"], { year: y0 + 4, severity: "0.8", duration_months: "12" }),
    price: event("events.price", ["year", "change", "duration_months"], { year: y0 + 4, change: "-0.4", duration_months: "12" }),
    years: v.years,
    reps: "20",
    seed: "1",
  };
}

function setInput(id, value) {
  const input = $(id);
  input.value = value;
  if (input.slider) input.slider.value = value;
}

function loadScenario(id) {
  scenario = init.scenarios.find((s) => s.id === id);
  clearErrors();
  $("scenario-description").textContent = scenario.description || scenario.error || "";
  if (!scenario.values) return;
  start = scenarioValues(scenario);
  for (const c of CONTROLS) setInput(c.id, start[c.id]);
  for (const ev of EVENTS) {
    $(ev.id + "-on").checked = start[ev.id].on;
    for (const f of ev.fields) setInput(ev.id + "-" + f.id, start[ev.id][f.id]);
  }
  for (const f of RUN_FIELDS) setInput(f.id, start[f.id]);
  buildParamTable();
}

// Keys the controls set themselves; the "all parameters" panel leaves them out.
function ownedByControls(key) {
  return key === "approach" || key === "years" || key.startsWith("events.")
    || /^agencies\[\d+\]\.budget$/.test(key)
    || CONTROLS.some((c) => c.key === key);
}

function buildParamTable() {
  const filter = $("param-filter").value.trim().toLowerCase();
  const table = el("table", {});
  table.append(el("thead", {}, el("tr", {},
    el("th", { text: "key" }), el("th", { text: "value" }), el("th", { text: "unit, allowed, meaning" }))));
  const body = el("tbody", {});
  for (const [key, value] of Object.entries(scenario.values)) {
    if (ownedByControls(key) || (filter && !key.toLowerCase().includes(filter))) continue;
    const p = param(key);
    const id = "param-" + key;
    const input = el("input", { type: "text", id, "data-key": key, "data-start": value, value: edited[key] ?? value,
      "aria-describedby": id + "-hint " + id + "-error" });
    input.addEventListener("change", () => { edited[key] = input.value; });
    body.append(el("tr", {},
      el("td", {}, el("label", { for: id }, el("code", { text: key }))),
      el("td", {}, input, el("p", { class: "error", id: id + "-error", role: "alert", hidden: true })),
      el("td", { class: "hint", id: id + "-hint", text: hintText(p, {}) })));
  }
  table.append(body);
  $("param-table").replaceChildren(table);
}
let edited = {};

// The overrides: only what differs from the scenario, so that a run with
// nothing changed is the scenario itself.
function overrides() {
  const sets = [];
  const val = (id) => $(id).value.trim();
  const simple = (id, key) => { if (val(id) !== String(start[id])) sets.push(`${key}=${val(id)}`); };
  simple("approach", "approach");
  simple("coordination", "coordination.quality");
  simple("information", "information.quality");
  if (val("budget") !== start.budget) {
    const total = Number(val("budget")) * 1e9;
    const sum = start.budgets.reduce((a, b) => a + b, 0);
    start.budgets.forEach((b, i) => {
      const share = sum > 0 ? b / sum : 1 / start.budgets.length;
      sets.push(`agencies[${i}].budget=${Number.isFinite(total) ? Math.round(total * share) : val("budget")}`);
    });
  }
  simple("duration", "programme.duration_years");
  simple("targets", "programme.target_villages");
  simple("kur_supply", "finance.kur_supply");
  if (val("kur_rate") !== start.kur_rate) {
    const r = Number(val("kur_rate"));
    const rates = start.rates.map((x) => Number.isFinite(r) ? +(r + (x - start.rates[0])).toFixed(6) : val("kur_rate"));
    sets.push(`finance.kur_micro_rates=[${rates.join(", ")}]`);
  }
  const eventSet = (ev, kind) => {
    const on = $(ev.id + "-on").checked;
    const now = {};
    for (const f of ev.fields) now[f.id] = val(ev.id + "-" + f.id);
    const s = start[ev.id];
    const same = on === s.on && (!on || ev.fields.every((f) => now[f.id] === String(s[f.id])));
    if (same) return;
    if (!on) { sets.push(`${ev.key}=[]`); return; }
    const body = ev.fields.map((f) => `${f.id} = ${now[f.id] === "" ? '""' : now[f.id]}`).join(", ");
    sets.push(`${ev.key}=[{${kind}, month = 1, ${body}}]`);
  };
  eventSet(EVENTS[0], 'kind = "el_nino"');
  eventSet(EVENTS[1], 'product = "all"');
  for (const [key, value] of Object.entries(edited)) {
    const input = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!input || value !== input.dataset.start) sets.push(`${key}=${value}`);
  }
  return sets;
}

function request() {
  const num = (id) => Number($(id).value);
  const req = { scenario: scenario.id, sets: overrides(), reps: num("reps"), seed: num("seed") };
  if ($("years").value.trim() !== String(start.years)) req.years = num("years");
  if (pinned) req.pin = pinned.run;
  return req;
}

function clearErrors() {
  for (const e of document.querySelectorAll(".error")) { e.hidden = true; e.textContent = ""; }
  for (const e of document.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
}

// Where an error about `key` is shown: its control, the panel's row, or the form.
function errorPlace(key) {
  const direct = { reps: "reps", seed: "seed", years: "years", approach: "approach" };
  if (direct[key]) return direct[key];
  for (const c of CONTROLS) if (c.key === key || (c.owns && c.owns(key)) || key.startsWith(c.key + "[")) return c.id;
  for (const ev of EVENTS) if (key === ev.key || key.startsWith(ev.key + "[")) return ev.id;
  if (document.querySelector(`[data-key="${CSS.escape(key)}"]`)) return "param-" + key;
  return null;
}

function showErrors(errors) {
  clearErrors();
  let first = null;
  for (const e of errors) {
    const place = errorPlace(e.key);
    const box = place ? $(place + "-error") : $("form-error");
    box.hidden = false;
    box.textContent = (box.textContent ? box.textContent + "\n" : "") + e.text;
    const input = place && $(place);
    if (input && input.tagName !== "FIELDSET") input.setAttribute("aria-invalid", "true");
    if (place && place.startsWith("param-")) $("all-params").open = true;
    first = first || input || box;
  }
  if (first && first.focus) first.focus();
  $("status").textContent = "Not run: " + errors.length + (errors.length === 1 ? " value needs" : " values need") + " changing (see the message beside it).";
}

async function run(event) {
  event.preventDefault();
  if (source || !scenario.values) return;
  const req = request();
  const check = await fetch("/api/check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(req) });
  if (!check.ok) {
    const body = await check.json().catch(() => ({ errors: [{ key: "", text: check.statusText }] }));
    showErrors(body.errors);
    return;
  }
  clearErrors();
  finished = null;
  last = null;
  $("table-section").hidden = true;
  $("why-section").hidden = true;
  $("downloads").hidden = true;
  $("pin").disabled = true;
  $("run").disabled = true;
  $("stop").disabled = false;
  $("status").textContent = "Starting…";
  const q = encodeURIComponent(JSON.stringify(req));
  source = new EventSource("/api/run?q=" + q);
  source.onmessage = (m) => {
    const data = JSON.parse(m.data);
    if (data.type === "queued") {
      $("status").textContent = `Waiting for the server: ${data.position} run${data.position === 1 ? "" : "s"} ahead of this one.`;
    } else if (data.type === "started") {
      $("status").textContent = `Running ${data.reps} replications…`;
    } else if (data.type === "progress") {
      last = data;
      $("status").textContent = `Replications finished: ${data.done[0]} of ${data.reps} with the programme, ${data.done[1]} of ${data.reps} without (${data.seconds.toFixed(1)} s).`;
      drawCharts();
    } else if (data.type === "done") {
      finished = { ...data, req, charts: last.charts, months: last.months, start_year: last.start_year };
      stopStream();
      $("status").textContent = `Done: ${req.reps} replications in ${data.seconds.toFixed(1)} s (run ${data.run}).`;
      showTable(data);
      showWhy(data);
      showDownloads(req, data.run);
      $("pin").disabled = false;
      document.body.dataset.done = String(data.run);
    } else if (data.type === "failed") {
      stopStream();
      $("status").textContent = "The run failed: " + data.message;
    }
  };
  source.onerror = () => {
    if (!source) return;
    stopStream();
    $("status").textContent = "The run stopped: the server closed the connection (is ovopsim serve still running?).";
  };
}

function stopStream() {
  if (source) source.close();
  source = null;
  $("run").disabled = false;
  $("stop").disabled = true;
}

// ---- charts ---------------------------------------------------------------

function niceTicks(lo, hi) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k <= Math.floor(hi / step + 1e-9); k++) out.push(k * step);
  return out;
}

function fmt(v, span) {
  const decimals = span >= 10 ? 0 : span >= 1 ? 1 : 2;
  if (Math.abs(v) < span * 1e-9) v = 0;
  return v.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).replace("-", "\u2212");
}

// The axis scale as the CLI labels it: thousands or millions of the unit.
function scaleOf(unit, max) {
  if (unit.startsWith("%")) return { f: 1, label: unit };
  const big = Math.abs(max);
  const [f, word] = big >= 1e10 ? [1e-9, "billion"] : big >= 1e7 ? [1e-6, "million"] : big >= 1e4 ? [1e-3, "thousand"] : [1, ""];
  if (!word) return { f, label: unit };
  return { f, label: unit.startsWith("Rp") ? "Rp " + word + unit.slice(2) : `${unit} (${word}s)` };
}

const SVGNS = "http://www.w3.org/2000/svg";
function svg(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function marker(kind, x, y, colour) {
  if (kind === "circle") return svg("circle", { cx: x, cy: y, r: 4, fill: colour });
  if (kind === "triangle") return svg("path", { d: `M${x},${y - 5} L${x + 5},${y + 4} L${x - 5},${y + 4} Z`, fill: colour });
  return svg("rect", { x: x - 4, y: y - 4, width: 8, height: 8, fill: "white", stroke: colour, "stroke-width": 2 });
}

function drawCharts() {
  const box = $("charts");
  if (!last) return;
  const charts = last.charts;
  if (box.children.length !== charts.length) {
    box.replaceChildren(...charts.map((c, i) => chartFigure(c, i)));
  }
  charts.forEach((c, i) => drawChart(box.children[i], c, i));
}

function chartFigure(c, i) {
  const id = "chart-" + c.metric;
  const legend = el("div", { class: "legend", "aria-hidden": "true" });
  const fig = el("figure", { id, "aria-labelledby": id + "-title" },
    el("figcaption", { id: id + "-title", text: `${c.label} (${c.unit})` }),
    legend,
    el("div", { class: "plot" }),
    el("p", { class: "diffline", id: id + "-diff" }),
    el("div", { class: "chart-links" },
      el("button", { type: "button", "data-chart": i, "data-format": "svg", text: "SVG" }), " ",
      el("button", { type: "button", "data-chart": i, "data-format": "png", text: "PNG" })));
  for (const b of fig.querySelectorAll("button")) b.addEventListener("click", () => saveChart(fig, c.metric, b.dataset.format));
  return fig;
}

function drawChart(fig, c, index) {
  const W = 560, H = 300, L = 70, R = 30, T = 12, B = 40;
  const months = last.months;
  const lines = [["baseline", c.baseline], ["programme", c.programme]];
  const pin = pinned && pinned.charts[index];
  if (pin) lines.push(["pinned", pin.programme]);
  const values = lines.flatMap(([, s]) => [...s.lo, ...s.hi, ...s.mean]).filter(Number.isFinite);
  let lo = Math.min(...values), hi = Math.max(...values);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const scale = scaleOf(c.unit, hi);
  const pad = (hi - lo) * 0.05;
  // Counts and shares that cannot be negative keep their axis at zero.
  lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
  hi += pad;
  const lastMonth = months[months.length - 1] || 1;
  const x = (m) => L + (W - L - R) * m / lastMonth;
  const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `chart-${c.metric}-title chart-${c.metric}-desc` });
  s.setAttribute("font-family", "DejaVu Sans, sans-serif");
  s.setAttribute("font-size", "12");
  s.append(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "white" }));
  const ticks = niceTicks(lo * scale.f, hi * scale.f);
  const span = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  for (const t of ticks) {
    const ty = y(t / scale.f);
    s.append(svg("line", { x1: L, x2: W - R, y1: ty, y2: ty, stroke: "#e3e3e3" }));
    const label = svg("text", { x: L - 6, y: ty + 4, "text-anchor": "end" });
    label.textContent = fmt(t, span);
    s.append(label);
  }
  // Calendar years at a round step, at most 12 ticks, as the CLI's charts.
  const horizon = lastMonth / 12;
  const step = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100].find((st) => horizon / st <= 11) || horizon / 10;
  for (let k = 0; k <= Math.floor(horizon / step + 1e-9); k++) {
    const tx = x(k * step * 12);
    s.append(svg("line", { x1: tx, x2: tx, y1: H - B, y2: H - B + 5, stroke: "#333" }));
    const label = svg("text", { x: tx, y: H - B + 18, "text-anchor": "middle" });
    const year = last.start_year + k * step;
    label.textContent = Number.isInteger(year) ? String(year) : year.toFixed(2).replace(/0+$/, "");
    s.append(label);
  }
  s.append(svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#333" }));
  s.append(svg("line", { x1: L, x2: L, y1: T, y2: H - B, stroke: "#333" }));
  const ylabel = svg("text", { x: 14, y: (T + H - B) / 2, transform: `rotate(-90 14 ${(T + H - B) / 2})`, "text-anchor": "middle" });
  ylabel.textContent = scale.label;
  s.append(ylabel);
  const path = (arr) => months.map((m, i) => Number.isFinite(arr[i]) ? `${i ? "L" : "M"}${x(m).toFixed(1)},${y(arr[i]).toFixed(1)}` : "").join(" ");
  for (const [name, series] of lines) {
    const st = STYLES[name];
    const band = months.map((m, i) => `${i ? "L" : "M"}${x(m).toFixed(1)},${y(series.hi[i]).toFixed(1)}`).join(" ")
      + " " + months.slice().reverse().map((m, j) => { const i = months.length - 1 - j; return `L${x(m).toFixed(1)},${y(series.lo[i]).toFixed(1)}`; }).join(" ") + " Z";
    if (series.lo.every(Number.isFinite)) s.append(svg("path", { d: band, fill: st.colour, "fill-opacity": 0.15, stroke: "none" }));
  }
  for (const [name, series] of lines) {
    const st = STYLES[name];
    s.append(svg("path", { d: path(series.mean), fill: "none", stroke: st.colour, "stroke-width": 2.2, "stroke-dasharray": st.dash }));
    months.forEach((m, i) => { if (m % 60 === 0 && Number.isFinite(series.mean[i])) s.append(marker(st.marker, x(m), y(series.mean[i]), st.colour)); });
  }
  const desc = svg("desc", { id: `chart-${c.metric}-desc` });
  const lastIdx = months.length - 1;
  const unitText = c.unit;
  const say = (v) => Number.isFinite(v) ? fmt(v, Math.abs(v) >= 10 ? 10 : 1) : "n/a";
  desc.textContent = `At the end: this run ${say(c.programme.mean[lastIdx])}, no programme ${say(c.baseline.mean[lastIdx])}` + (pin ? `, pinned run ${say(pin.programme.mean[lastIdx])}` : "") + ` ${unitText}.`;
  s.prepend(desc);
  fig.querySelector(".plot").replaceChildren(s);
  fig.querySelector(".legend").replaceChildren(...lines.map(([name]) => legendItem(name)));
  const d = c.difference;
  const n = Math.min(last.done[0], last.done[1]);
  fig.querySelector(".diffline").textContent = n === 0 ? "" :
    `This run − no programme, ${last.months[lastIdx] / 12 | 0} years on: ${signed(d.mean[lastIdx])} (95% CI ${signed(d.lo[lastIdx])} to ${signed(d.hi[lastIdx])}), paired over ${n} replication${n === 1 ? "" : "s"}.`;
}

function signed(v) {
  if (!Number.isFinite(v)) return "n/a";
  const a = Math.abs(v);
  const text = a.toLocaleString("en-US", { maximumFractionDigits: a >= 100 ? 0 : a >= 1 ? 1 : 3 });
  return (v < 0 ? "\u2212" : "+") + text;
}

function legendItem(name) {
  const st = STYLES[name];
  const icon = svg("svg", { width: 34, height: 12, "aria-hidden": "true" });
  icon.append(svg("line", { x1: 1, x2: 33, y1: 6, y2: 6, stroke: st.colour, "stroke-width": 2.2, "stroke-dasharray": st.dash ? st.dash.split(" ").map((n) => n / 2).join(" ") : "" }));
  icon.append(marker(st.marker, 17, 6, st.colour));
  return el("span", {}, icon, name === "pinned" && pinned ? `Pinned run ${pinned.run}` : st.name);
}

function saveChart(fig, metric, format) {
  const node = fig.querySelector("svg").cloneNode(true);
  node.setAttribute("xmlns", SVGNS);
  node.setAttribute("width", 1120);
  node.setAttribute("height", 600);
  const text = new XMLSerializer().serializeToString(node);
  const blob = new Blob([text], { type: "image/svg+xml" });
  const name = `${scenario.values.name}-${metric}`;
  if (format === "svg") return download(blob, name + ".svg");
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = 1120; canvas.height = 600;
    canvas.getContext("2d").drawImage(img, 0, 0, 1120, 600);
    canvas.toBlob((png) => download(png, name + ".png"), "image/png");
  };
  img.src = URL.createObjectURL(blob);
}

function download(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---- tables -----------------------------------------------------------------

function cellNode(c, metric, year, col) {
  if (!c) return el("td", { text: "" });
  return el("td", { "data-metric": metric, "data-year": year, "data-col": col, "data-value": String(c.value) },
    c.text, el("span", { class: "ci", text: `${c.low_text} to ${c.high_text}` }));
}

function showTable(data) {
  const withPin = data.table.some((r) => r.vs_pinned);
  const head = el("tr", {}, el("th", { scope: "col", text: "Metric" }), el("th", { scope: "col", class: "left", text: "Year" }),
    el("th", { scope: "col", text: "This run" }), el("th", { scope: "col", text: "No programme" }),
    el("th", { scope: "col", text: "Difference (paired)" }));
  if (withPin) head.append(el("th", { scope: "col", text: `This run − pinned run ${pinned.run}` }));
  const body = el("tbody", {});
  let lastMetric = "";
  for (const r of data.table) {
    const first = r.metric !== lastMetric;
    lastMetric = r.metric;
    const tr = el("tr", {},
      el("th", { scope: "row", class: "left", text: first ? `${r.label} (${r.unit})` : "" }),
      el("td", { class: "left year", text: r.year_label }),
      cellNode(r.programme, r.metric, r.year, "programme"),
      cellNode(r.baseline, r.metric, r.year, "baseline"),
      cellNode(r.difference, r.metric, r.year, "difference"));
    if (withPin) tr.append(cellNode(r.vs_pinned, r.metric, r.year, "vs_pinned"));
    body.append(tr);
  }
  $("year-table").replaceChildren(el("thead", {}, head), body);
  $("table-section").hidden = false;
}

function showWhy(data) {
  const year = data.why[0] ? data.why[0].year_label : "";
  $("why-hint").textContent = `This run − no programme in ${year}, by source of income and kind of job (paired over replications, 95% CI). The income parts add up to the difference in mean income; the jobs parts to agro-industry jobs.`;
  const body = el("tbody", {});
  for (const r of data.why) {
    body.append(el("tr", {},
      el("th", { scope: "row", class: "left" }, el("code", { text: r.metric }), el("span", { class: "ci", text: r.description })),
      el("td", { class: "left", text: r.unit }),
      el("td", { "data-metric": r.metric, "data-value": String(r.difference.value) }, signedText(r.difference.text),
        el("span", { class: "ci", text: `${r.difference.low_text} to ${r.difference.high_text}` }))));
  }
  $("why-table").replaceChildren(el("thead", {}, el("tr", {},
    el("th", { scope: "col", text: "Channel" }), el("th", { scope: "col", class: "left", text: "Unit" }), el("th", { scope: "col", text: "Difference" }))), body);
  $("why-section").hidden = false;
}

function signedText(text) {
  return text.startsWith("\u2212") || /^0(\.0*)?$/.test(text) ? text : "+" + text;
}

function showDownloads(req, run) {
  const q = encodeURIComponent(JSON.stringify({ ...req, pin: undefined }));
  const name = scenario.values.name;
  const item = (href, text, note) => el("li", {}, el("a", { href, download: "", text }), note ? " " + note : "");
  $("download-list").replaceChildren(
    item("/api/toml?q=" + q, `${name}.toml`, `the scenario with these values; \`ovopsim run ${name}.toml --seed ${req.seed} --reps ${req.reps}\` gives the same numbers`),
    item(`/api/runs/${run}/summary.csv`, "summary.csv", "mean, sd, 95% CI and percentiles of every metric by month"),
    item(`/api/runs/${run}/series.csv`, "series.csv", "every replication, month and metric"),
    item(`/api/runs/${run}/comparison.csv`, "comparison.csv", "this run against no programme, paired differences"),
    item(`/api/runs/${run}/baseline-summary.csv`, "baseline-summary.csv", "the no-programme run's summary"));
  $("downloads").hidden = false;
}

// ---- start ------------------------------------------------------------------

async function main() {
  init = await (await fetch("/api/init")).json();
  buildForm();
  const select = $("scenario");
  for (const s of init.scenarios) select.append(el("option", { value: s.id, text: s.name ? `${s.name} (${s.id})` : s.id }));
  select.addEventListener("change", () => { edited = {}; loadScenario(select.value); });
  $("param-filter").addEventListener("input", buildParamTable);
  $("controls").addEventListener("submit", run);
  $("stop").addEventListener("click", () => { stopStream(); $("status").textContent = "Stopped; nothing was kept."; });
  $("reset").addEventListener("click", () => { edited = {}; loadScenario(select.value); });
  $("pin").addEventListener("click", () => {
    if (!finished) return;
    pinned = finished;
    $("pin").disabled = true;
    $("status").textContent = `Pinned run ${pinned.run}. Change values and run again to compare.`;
    drawCharts();
  });
  loadScenario(init.scenarios[0].id);
  document.body.dataset.ready = "true";
}

main();
