// The LocalQStash dashboard: plain DOM, no framework, no build step. It reads and acts only through
// the QStash REST API this server implements (the session cookie stands in for the token). Server
// text reaches the page only as text nodes (textContent); the page's CSP enforces Trusted Types, so
// an innerHTML assignment would throw.
"use strict";

const REFRESH_MS = 1500;
const main = document.getElementById("main");
let refreshTimer = null;
let generation = 0; // bumps on every navigation: a late answer for an old page is dropped

// ------------------------------------------------------------------------------------ helpers

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "style") Object.assign(node.style, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.body = body;
    init.headers["Content-Type"] = "text/plain";
  }
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try {
      detail = JSON.parse(text).error || text;
    } catch (_) {
      /* not JSON: show it as it is */
    }
    throw new Error(`${method} ${path} answered ${response.status}: ${detail}`);
  }
  return text ? JSON.parse(text) : null;
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error ? String(error.message || error) : "";
  box.hidden = !error;
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

function when(ms) {
  if (!ms) return "";
  return dateFormat.format(new Date(ms));
}

function ago(ms) {
  if (!ms) return "";
  const seconds = Math.round((Date.now() - ms) / 1000);
  if (seconds < 0) return "in " + duration(-seconds * 1000);
  if (seconds < 5) return "just now";
  return duration(seconds * 1000) + " ago";
}

function duration(ms) {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${(s / 3600).toFixed(1).replace(/\.0$/, "")} h`;
  return `${(s / 86400).toFixed(1).replace(/\.0$/, "")} d`;
}

function pretty(text) {
  if (text === undefined || text === null) return "";
  if (typeof text !== "string") return JSON.stringify(text, null, 2);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (_) {
    return text;
  }
}

function badge(state) {
  const kind = String(state || "").replace(/^(RUN|STEP|CALLBACK)_/, "").toLowerCase();
  return el("span", { class: `badge badge-${kind}`, text: kind.replace("_", " ") || "unknown" });
}

function runLink(id) {
  return el("a", { href: `/ui/runs/${encodeURIComponent(id)}`, "data-nav": true, class: "mono", text: id });
}

function button(label, onclick, kind) {
  return el("button", { type: "button", class: kind || "", onclick, text: label });
}

// An action: run it, show its error if any, then refresh the page's data.
function act(work) {
  return async (event) => {
    const target = event.currentTarget;
    target.disabled = true;
    try {
      await work();
      showError(null);
    } catch (error) {
      showError(error);
    } finally {
      target.disabled = false;
      refreshNow();
    }
  };
}

function finishedSteps(run) {
  // Groups are newest first; `next` holds steps in progress.
  const steps = [];
  for (const group of [...(run.steps || [])].reverse()) {
    if (group.type !== "next") steps.push(...(group.steps || []));
  }
  return steps;
}

function pendingSteps(run) {
  return (run.steps || []).filter((g) => g.type === "next").flatMap((g) => g.steps || []);
}

// ------------------------------------------------------------------------------------ routing

const pages = {
  runs: { title: "Runs", setup: setupRuns },
  run: { title: "Run", setup: setupRun },
  dlq: { title: "DLQ", setup: setupDlq },
  waiters: { title: "Waiters", setup: setupWaiters },
  "flow-control": { title: "Flow control", setup: setupFlowControl },
};

function route(pathname) {
  const match = pathname.match(/^\/ui\/runs\/([^/]+)$/);
  if (match) return { page: "run", id: decodeURIComponent(match[1]) };
  const name = pathname.replace(/^\/ui\/?/, "").replace(/\/$/, "");
  if (name === "" || name === "runs") return { page: "runs" };
  return pages[name] ? { page: name } : { page: "runs" };
}

let refresh = null;

function refreshNow() {
  if (refreshTimer) clearTimeout(refreshTimer);
  const mine = generation;
  const loop = async () => {
    if (!refresh || mine !== generation) return;
    try {
      await refresh(mine);
      setStatus(`updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      if (mine === generation) showError(error);
    }
    if (mine === generation) refreshTimer = setTimeout(loop, REFRESH_MS);
  };
  loop();
}

function navigate() {
  generation += 1;
  if (refreshTimer) clearTimeout(refreshTimer);
  showError(null);
  const where = route(location.pathname);
  for (const link of document.querySelectorAll("nav a")) {
    const active = link.dataset.page === where.page || (where.page === "run" && link.dataset.page === "runs");
    link.classList.toggle("active", active);
  }
  main.replaceChildren();
  document.title = `${pages[where.page].title} · LocalQStash`;
  refresh = pages[where.page].setup(where);
  refreshNow();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-nav]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  if (link.getAttribute("href") !== location.pathname) history.pushState(null, "", link.getAttribute("href"));
  navigate();
});
window.addEventListener("popstate", navigate);

// --------------------------------------------------------------------------------------- runs

function setupRuns() {
  const params = new URLSearchParams(location.search);
  const state = el(
    "select",
    { name: "state", "aria-label": "state" },
    ["", "RUN_STARTED", "RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED"].map((s) =>
      el("option", { value: s, text: s ? s.replace("RUN_", "").toLowerCase() : "any state" }),
    ),
  );
  const url = el("input", { name: "workflowUrl", type: "text", placeholder: "workflow URL (exact)", size: 36 });
  const label = el("input", { name: "label", type: "text", placeholder: "label", size: 14 });
  state.value = params.get("state") || "";
  url.value = params.get("workflowUrl") || "";
  label.value = params.get("label") || "";
  const apply = () => {
    const query = new URLSearchParams();
    if (state.value) query.set("state", state.value);
    if (url.value.trim()) query.set("workflowUrl", url.value.trim());
    if (label.value.trim()) query.set("label", label.value.trim());
    const search = query.toString();
    history.replaceState(null, "", "/ui/" + (search ? "?" + search : ""));
    refreshNow();
  };
  state.addEventListener("change", apply);
  for (const input of [url, label]) input.addEventListener("change", apply);
  const body = el("tbody");
  const count = el("span", { class: "muted" });
  main.append(
    el("div", { class: "heading" }, el("h1", { text: "Runs" }), count),
    el("form", { class: "filters", onsubmit: (e) => (e.preventDefault(), apply()) }, state, url, label),
    el(
      "table",
      { class: "table", id: "runs" },
      el("thead", {}, el("tr", {}, ["Run", "State", "Workflow URL", "Created", "Steps"].map((h) => el("th", { text: h })))),
      body,
    ),
  );
  return async (mine) => {
    const query = new URLSearchParams(location.search);
    query.set("count", "100");
    const page = await api("GET", `/v2/workflows/logs?${query}`);
    if (mine !== generation) return;
    const runs = page.runs || [];
    count.textContent = `${runs.length}${page.cursor ? "+" : ""} run(s)`;
    body.replaceChildren(
      ...runs.map((run) =>
        el(
          "tr",
          { "data-run": run.workflowRunId },
          el("td", {}, runLink(run.workflowRunId)),
          el("td", {}, badge(run.workflowState)),
          el("td", { class: "url", text: run.workflowUrl }),
          el("td", { title: when(run.workflowRunCreatedAt) }, when(run.workflowRunCreatedAt), el("div", { class: "muted", text: ago(run.workflowRunCreatedAt) })),
          el("td", { class: "num", text: finishedSteps(run).length }),
        ),
      ),
    );
    if (!runs.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "empty", text: "No runs yet. Trigger one and it shows up here." })));
  };
}

// ---------------------------------------------------------------------------------------- run

function setupRun(where) {
  const container = el("div");
  main.append(el("div", { class: "heading" }, el("a", { href: "/ui/", "data-nav": true, text: "← Runs" })), container);
  let shown = "";
  return async (mine) => {
    const page = await api("GET", `/v2/workflows/logs?workflowRunId=${encodeURIComponent(where.id)}`);
    if (mine !== generation) return;
    const run = (page.runs || [])[0];
    const fingerprint = JSON.stringify(run || null);
    if (fingerprint === shown) return; // unchanged: keep the page (and the reader's scroll/selection) as it is
    shown = fingerprint;
    if (!run) {
      container.replaceChildren(el("h1", { text: "Run not found" }), el("p", { class: "mono", text: where.id }));
      return;
    }
    container.replaceChildren(...renderRun(run));
  };
}

function renderRun(run) {
  const steps = finishedSteps(run);
  const initial = steps.find((s) => s.stepType === "Initial");
  const facts = [
    ["Workflow URL", run.workflowUrl],
    ["Created", `${when(run.workflowRunCreatedAt)} (${ago(run.workflowRunCreatedAt)})`],
    ["Completed", run.workflowRunCompletedAt ? when(run.workflowRunCompletedAt) : ""],
    ["Labels", (run.labels || []).join(", ")],
    ["Flow-control key", run.flowControlKey],
    ["DLQ id", run.dlqId],
  ].filter(([, v]) => v);
  const headers = Object.entries((initial && initial.headers) || {});
  return [
    el("h1", { class: "run-title" }, el("span", { class: "mono", id: "run-id", text: run.workflowRunId }), badge(run.workflowState)),
    el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
    el("h2", { text: "Timeline" }),
    renderTimeline(run, steps),
    el(
      "div",
      { class: "columns" },
      el(
        "section",
        {},
        el("h2", { text: "Trigger body" }),
        el("pre", { class: "code", id: "trigger-body", text: pretty(initial ? initial.out : "") || "(empty)" }),
      ),
      el(
        "section",
        {},
        el("h2", { text: "Trigger headers" }),
        headers.length
          ? el("table", { class: "table compact" }, headers.map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", { class: "mono", text: [].concat(v).join(", ") }))))
          : el("p", { class: "muted", text: "No forwarded headers." }),
      ),
    ),
    el("h2", { text: "Steps" }),
    el("div", { class: "steps" }, steps.filter((s) => s.stepType !== "Initial").map(renderStep), pendingSteps(run).map(renderStep)),
  ];
}

// Each step's span: from the previous step's end to its own record, except sleeps, which are
// recorded when they start. Times can span a second or a day, so gaps are drawn on a log scale.
function spans(run, steps) {
  const items = [];
  let previous = run.workflowRunCreatedAt;
  for (const step of steps) {
    let start = previous;
    let end = step.createdAt || previous;
    let kind = (step.stepType || "Run").toLowerCase();
    if (step.stepType === "Initial") start = end = run.workflowRunCreatedAt;
    if (step.stepType === "SleepFor" && step.sleepFor !== undefined) {
      start = step.createdAt;
      end = start + step.sleepFor * 1000;
    } else if (step.stepType === "SleepUntil" && step.sleepUntil) {
      start = step.createdAt;
      end = Math.max(start, step.sleepUntil * 1000);
    }
    if (step.stepType === "Wait" && step.waitTimeout) kind = "timeout";
    const last = items[items.length - 1];
    if (end < start && last) {
      // A step recorded before the sleep it follows ends: LocalQStash's clock jumped (fast_forward).
      // Draw the sleep up to it, so the picture stays in order; its note keeps the slept length.
      last.end = Math.max(last.start, end);
      start = last.end;
    }
    items.push({ step, start, end, kind, done: true });
    previous = end;
  }
  const now = Date.now();
  for (const step of pendingSteps(run)) {
    const errors = step.errors || [];
    let end = step.state === "STEP_FAILED" && errors.length ? errors[errors.length - 1].time : Math.max(now, previous);
    if (run.workflowState !== "RUN_STARTED" && step.state !== "STEP_FAILED") end = run.workflowRunCompletedAt || end;
    const kind = step.state === "STEP_FAILED" ? "failed" : step.state === "STEP_RETRY" ? "retry" : (step.stepType || "run").toLowerCase();
    items.push({ step, start: previous, end, kind, done: false, errors });
  }
  return items;
}

function scaleFor(items) {
  const times = [...new Set(items.flatMap((i) => [i.start, i.end, ...(i.errors || []).map((e) => e.time)]))].sort((a, b) => a - b);
  const weights = times.slice(1).map((t, i) => 1 + Math.log10(1 + (t - times[i]) / 50));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const at = [0];
  for (const w of weights) at.push(at[at.length - 1] + (w / total) * 100);
  return (t) => {
    let i = times.findIndex((x) => x >= t);
    if (i <= 0) return 0;
    const span = times[i] - times[i - 1] || 1;
    return at[i - 1] + ((t - times[i - 1]) / span) * (at[i] - at[i - 1]);
  };
}

function stepLabel(step) {
  if (step.stepType === "Wait" && !step.stepName) return `wait for ${step.waitEventId}`;
  if (step.state === "STEP_RETRY") return `${step.stepName || "next step"} (retrying)`;
  if (step.state === "STEP_FAILED") return `${step.stepName || "next step"} (failed)`;
  return step.stepName || step.stepType || "step";
}

function stepNote(item) {
  const s = item.step;
  if (s.stepType === "Initial") return `triggered ${when(item.start)}`;
  if (s.stepType === "SleepFor" && s.sleepFor !== undefined) return `sleep ${duration(s.sleepFor * 1000)}`;
  if (s.stepType === "SleepUntil" && s.sleepUntil) return `sleep until ${when(s.sleepUntil * 1000)}`;
  if (s.stepType === "Wait") {
    if (!item.done) return `waiting for “${s.waitEventId}” until ${when((s.waitTimeoutDeadline || 0) * 1000)}`;
    return s.waitTimeout ? `wait for “${s.waitEventId}” timed out` : `event “${s.waitEventId}” after ${duration(item.end - item.start)}`;
  }
  if (s.stepType === "Call") return `call ${s.callMethod || ""} ${s.callUrl || ""} → ${s.callResponseStatus ?? "?"}`;
  if (item.errors && item.errors.length) {
    const last = item.errors[item.errors.length - 1];
    const next = s.nextDeliveryTime ? `; next try ${when(s.nextDeliveryTime)}` : "";
    return `${item.errors.length} failed attempt(s)${next}, last: ${last.status || ""} ${last.body || last.error || ""}`.trim();
  }
  return duration(item.end - item.start);
}

function renderTimeline(run, steps) {
  const items = spans(run, steps);
  const x = scaleFor(items);
  const rows = items.map((item) => {
    const left = x(item.start);
    const width = Math.max(x(item.end) - left, 0);
    const track = el(
      "div",
      { class: "track" },
      el("div", { class: `bar bar-${item.kind}${item.done ? "" : " bar-open"}`, style: { left: `${left}%`, width: `${width}%` }, title: `${when(item.start)} → ${when(item.end)}` }),
      (item.errors || []).map((e) =>
        el("div", { class: "tick", style: { left: `${x(e.time)}%` }, title: `${when(e.time)}: ${e.status || ""} ${e.error || ""}` }),
      ),
    );
    return el(
      "div",
      { class: "tl-row", "data-step": stepLabel(item.step), "data-kind": item.kind },
      el("div", { class: "tl-name" }, el("span", { class: `dot dot-${item.kind}` }), el("span", { text: stepLabel(item.step) }), el("span", { class: "tl-type", text: item.step.stepType || "" })),
      track,
      el("div", { class: "tl-note", text: stepNote(item) }),
    );
  });
  const span = items.length ? items[items.length - 1].end - items[0].start : 0;
  return el(
    "div",
    { class: "timeline", id: "timeline" },
    rows,
    el("div", { class: "tl-axis muted", text: `${when(items.length ? items[0].start : 0)} · ${duration(span)} in all · gaps drawn on a log scale` }),
  );
}

function renderStep(step) {
  const parts = [
    el(
      "div",
      { class: "step-head" },
      el("strong", { text: stepLabel(step) }),
      el("span", { class: "tl-type", text: step.stepType || "" }),
      badge(step.state),
      el("span", { class: "muted", text: when(step.createdAt) }),
    ),
  ];
  if (step.stepType === "Call") {
    parts.push(el("div", { class: "mono small", text: `${step.callMethod || ""} ${step.callUrl || ""} → ${step.callResponseStatus ?? ""}` }));
    if (step.callBody) parts.push(el("div", { class: "muted small", text: "request body" }), el("pre", { class: "code", text: pretty(step.callBody) }));
    if (step.callResponseBody !== undefined) parts.push(el("div", { class: "muted small", text: "response body" }), el("pre", { class: "code", text: pretty(step.callResponseBody) }));
  } else if (step.out !== undefined && step.out !== null && step.out !== "") {
    parts.push(el("pre", { class: "code", text: pretty(step.out) }));
  }
  for (const error of step.errors || []) {
    parts.push(el("div", { class: "step-error", text: `${when(error.time)} · ${error.error || ""} · ${error.body || ""}` }));
  }
  return el("div", { class: "step" }, parts);
}

// ---------------------------------------------------------------------------------------- dlq

function setupDlq() {
  const body = el("tbody");
  main.append(
    el("div", { class: "heading" }, el("h1", { text: "Dead-letter queue" })),
    el(
      "table",
      { class: "table", id: "dlq" },
      el("thead", {}, el("tr", {}, ["DLQ id", "Run", "Workflow URL", "Response", "Failed", ""].map((h) => el("th", { text: h })))),
      body,
    ),
  );
  return async (mine) => {
    const page = await api("GET", "/v2/workflows/dlq?count=100");
    if (mine !== generation) return;
    const messages = page.messages || [];
    body.replaceChildren(
      ...messages.map((m) => {
        const id = encodeURIComponent(m.dlqId);
        return el(
          "tr",
          { "data-dlq": m.dlqId },
          el("td", { class: "mono", text: m.dlqId }),
          el("td", {}, runLink(m.workflowRunId)),
          el("td", { class: "url", text: m.workflowUrl || m.url }),
          el("td", {}, el("span", { class: "badge badge-failed", text: m.responseStatus }), el("div", { class: "muted clip", text: m.responseBody || "" })),
          el("td", { text: when(m.createdAt) }),
          el(
            "td",
            { class: "actions" },
            button("Resume", act(() => api("POST", `/v2/workflows/dlq/resume/${id}`))),
            button("Restart", act(() => api("POST", `/v2/workflows/dlq/restart/${id}`))),
            button("Delete", act(() => api("DELETE", `/v2/workflows/dlq/${id}`)), "danger"),
          ),
        );
      }),
    );
    if (!messages.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "empty", text: "The DLQ is empty." })));
  };
}

// ------------------------------------------------------------------------------------ waiters

function setupWaiters() {
  // The API lists waiters by event id: those of running runs' waits in progress, and any typed here.
  const extra = new Set();
  const lookup = el("input", { type: "text", placeholder: "event id", name: "lookup" });
  const eventInput = el("input", { type: "text", placeholder: "event id", name: "event", id: "notify-event" });
  const data = el("textarea", { rows: 3, placeholder: '{"approved": true}', name: "data", id: "notify-data" });
  const result = el("div", { class: "muted", id: "notify-result" });
  const body = el("tbody");
  const notify = act(async () => {
    const eventId = eventInput.value.trim();
    if (!eventId) throw new Error("give the event id to notify");
    const answer = await api("POST", `/v2/notify/${encodeURIComponent(eventId)}`, data.value);
    const count = Array.isArray(answer) ? answer.length : 1;
    result.textContent = `notified ${count} waiter(s) of “${eventId}”`;
  });
  main.append(
    el("div", { class: "heading" }, el("h1", { text: "Waiters" })),
    el(
      "form",
      { class: "filters", onsubmit: (e) => (e.preventDefault(), lookup.value.trim() && extra.add(lookup.value.trim()), refreshNow()) },
      lookup,
      el("button", { type: "submit", text: "Look up" }),
    ),
    el(
      "table",
      { class: "table", id: "waiters" },
      el("thead", {}, el("tr", {}, ["Event id", "Run", "Workflow URL", "Times out", ""].map((h) => el("th", { text: h })))),
      body,
    ),
    el(
      "section",
      { class: "panel" },
      el("h2", { text: "Notify" }),
      el("div", { class: "notify" }, eventInput, data, button("Notify", notify, "primary")),
      result,
    ),
  );
  return async (mine) => {
    const page = await api("GET", "/v2/workflows/logs?state=RUN_STARTED&count=100");
    const ids = new Set(extra);
    for (const run of page.runs || []) for (const s of pendingSteps(run)) if (s.waitEventId) ids.add(s.waitEventId);
    const rows = [];
    for (const eventId of [...ids].sort()) {
      const waiters = await api("GET", `/v2/waiters/${encodeURIComponent(eventId)}`);
      for (const w of waiters || []) {
        const runId = [].concat((w.headers || {})["Upstash-Workflow-Runid"] || [])[0] || "";
        rows.push(
          el(
            "tr",
            { "data-event": eventId },
            el("td", { class: "mono", text: eventId }),
            el("td", {}, runId ? runLink(runId) : ""),
            el("td", { class: "url", text: w.url }),
            el("td", { text: `${when(w.deadline * 1000)} (${ago(w.deadline * 1000)})` }),
            el("td", {}, button("Notify…", () => ((eventInput.value = eventId), data.focus()))),
          ),
        );
      }
    }
    if (mine !== generation) return;
    body.replaceChildren(...rows);
    if (!rows.length) body.append(el("tr", {}, el("td", { colspan: 5, class: "empty", text: "No run is waiting for an event." })));
  };
}

// ------------------------------------------------------------------------------- flow control

function setupFlowControl() {
  const body = el("tbody");
  main.append(
    el("div", { class: "heading" }, el("h1", { text: "Flow-control keys" })),
    el(
      "table",
      { class: "table", id: "flow-control" },
      el("thead", {}, el("tr", {}, ["Key", "State", "Parallelism", "Rate", "Waiting", ""].map((h) => el("th", { text: h })))),
      body,
    ),
  );
  return async (mine) => {
    const keys = await api("GET", "/v2/flowControl");
    if (mine !== generation) return;
    body.replaceChildren(
      ...(keys || []).map((k) => {
        const id = encodeURIComponent(k.flowControlKey);
        const toggle = k.isPaused
          ? button("Resume", act(() => api("POST", `/v2/flowControl/${id}/resume`)), "primary")
          : button("Pause", act(() => api("POST", `/v2/flowControl/${id}/pause`)));
        return el(
          "tr",
          { "data-key": k.flowControlKey },
          el("td", { class: "mono", text: k.flowControlKey }),
          el("td", {}, el("span", { class: `badge badge-${k.isPaused ? "paused" : "started"}`, text: k.isPaused ? "paused" : "active" })),
          el("td", { text: `${k.parallelismCount ?? 0} / ${k.parallelismMax || "∞"}` }),
          el("td", { text: k.rateMax ? `${k.rateCount ?? 0} / ${k.rateMax} per ${k.ratePeriod || 1} s` : "—" }),
          el("td", { class: "num", text: k.waitListSize ?? 0 }),
          el("td", { class: "actions" }, toggle),
        );
      }),
    );
    if (!(keys || []).length) body.append(el("tr", {}, el("td", { colspan: 6, class: "empty", text: "No flow-control key yet." })));
  };
}

navigate();
