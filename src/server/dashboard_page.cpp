#include "dashboard_page.hpp"

namespace greentrain::detail {

std::string_view dashboard_page() {
  return R"page(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>greentrain: live run</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0.5rem; }
.figure { border: 1px solid #ccc; border-radius: 4px; padding: 0.5rem; }
.figure b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; text-align: left; }
svg { width: 100%; height: auto; border: 1px solid #ddd; }
#status { color: #777; }
</style></head><body>
<h1>greentrain: <span id="project">live run</span></h1>
<p id="status">connecting</p>
<div class="figures">
<div class="figure">CPU power<b id="cpu">-</b></div>
<div class="figure">GPU power<b id="gpu">-</b></div>
<div class="figure">RAM power<b id="ram">-</b></div>
<div class="figure">Grid intensity<b id="intensity">-</b></div>
<div class="figure">Energy so far<b id="energy">-</b></div>
<div class="figure">Emissions so far<b id="emissions">-</b></div>
</div>
<h2>Power, last ten minutes</h2>
<svg id="chart" viewBox="0 0 720 220" role="img" aria-label="power per component"></svg>
<h2>Where the figures come from</h2>
<ul id="provenance"></ul>
<h2>Tasks</h2>
<table><thead><tr><th>Task</th><th>Duration (s)</th><th>Energy (kWh)</th><th>Emissions (kg CO2e)</th></tr></thead>
<tbody id="tasks"></tbody></table>
<script>
"use strict";
const colours = { cpu: "#d62728", gpu: "#2ca02c", ram: "#1f77b4" };
let since = 0;
let points = [];
let present = ["cpu", "gpu", "ram"];
const text = (id, value) => { document.getElementById(id).textContent = value; };
const fixed = (v, unit) => (v === null || v === undefined) ? "-" : Number(v).toPrecision(4) + " " + unit;

function draw() {
  const svg = document.getElementById("chart");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  if (points.length < 2) return;
  const t0 = points[0].t, t1 = points[points.length - 1].t;
  let top = 1;
  for (const p of points) for (const name of present) top = Math.max(top, p[name + "_w"]);
  top *= 1.05;
  for (const name of present) {
    const line = document.createElementNS(svg.namespaceURI, "polyline");
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", colours[name]);
    line.setAttribute("stroke-width", "2");
    line.setAttribute("points", points.map(p =>
      (10 + 700 * (p.t - t0) / Math.max(t1 - t0, 1e-9)).toFixed(1) + "," +
      (210 - 200 * p[name + "_w"] / top).toFixed(1)).join(" "));
    svg.appendChild(line);
  }
  const label = document.createElementNS(svg.namespaceURI, "text");
  label.setAttribute("x", "14");
  label.setAttribute("y", "20");
  label.textContent = top.toPrecision(3) + " W";
  svg.appendChild(label);
}

// As greentrain::describe(): the basis, the source, a modelled figure's band and its coverage.
function describe(p) {
  let s = p.basis + " (" + p.source + ")";
  if (p.band_low !== 1 || p.band_high !== 1) {
    s += ", band x" + p.band_low.toFixed(2) + "-x" + p.band_high.toFixed(2);
    s += p.band_coverage > 0
        ? " (held for " + Math.round(100 * p.band_coverage) + " % of the measured points)"
        : " (its coverage not measured)";
  }
  return p.degraded ? s + ", degraded" : s;
}

function showProvenance(total) {
  const list = document.getElementById("provenance");
  while (list.firstChild) list.removeChild(list.firstChild);
  const lines = present.map(name => name.toUpperCase() + ": " + describe(total[name].provenance));
  lines.push("Grid intensity: " + describe(total.intensity_provenance));
  for (const line of lines) list.appendChild(document.createElement("li")).textContent = line;
}

function showRun(run) {
  text("project", run.project + ", run " + run.run_id);
  const total = run.total;
  present = ["cpu", "gpu", "ram"].filter(name => total[name] !== null);
  text("energy", fixed(total.energy_kwh, "kWh"));
  text("emissions", fixed(total.emissions_kg, "kg CO2e"));
  showProvenance(total);
  const body = document.getElementById("tasks");
  while (body.firstChild) body.removeChild(body.firstChild);
  for (const task of run.tasks) {
    const row = body.insertRow();
    for (const v of [task.task, task.duration_s.toFixed(1), task.energy_kwh.toPrecision(4),
                     task.emissions_kg.toPrecision(4)])
      row.insertCell().textContent = v;
  }
}

// Same-origin requests carry the session cookie of the login form, when the server has a token.
async function get(path) {
  const response = await fetch(path);
  if (response.status === 401) throw "the session has ended; reload the page to log in again";
  return response.json();
}

async function tick() {
  try {
    showRun(await get("api/v1/run"));
    const answer = await get("api/v1/samples?since=" + since);
    for (const s of answer.samples) {
      s.t = Date.parse(s.time) / 1000;
      if (s.t <= since) continue;  // milliseconds here, microseconds on the server
      points.push(s);
      since = Math.max(since, s.t);
    }
    points = points.filter(p => p.t > since - 600);
    const last = points[points.length - 1];
    if (last) {
      for (const name of ["cpu", "gpu", "ram"])
        text(name, present.includes(name) ? fixed(last[name + "_w"], "W") : "not present");
      text("intensity", fixed(last.intensity_g_per_kwh, "g/kWh"));
    }
    draw();
    text("status", "updated " + new Date().toLocaleTimeString());
  } catch (e) {
    text("status", "cannot reach the tracker: " + e);
  }
}
tick();
setInterval(tick, 1000);
</script>
</body></html>
)page";
}

}  // namespace greentrain::detail
