// The state machine as a graph (SVG), each state coloured by how far an execution got — as the
// AWS console's graph view does. A small layered layout: states are placed in rows by their
// distance from StartAt along transitions (Next, Default, Choices, Catch), with Start and End
// markers; nested Parallel branches and Map iterators are drawn as the one state that holds them.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";

  // One entry per target: two rules (or a rule and Default) leading to the same state share an
  // arrow and a label.
  function transitions(state) {
    const out = [];
    const add = out.push.bind(out);
    out.push = function (t) {
      const same = out.find(function (o) { return o.to === t.to; });
      if (same) { if (t.label) same.label = same.label ? same.label + ", " + t.label : t.label; return out.length; }
      return add(t);
    };
    if (state.Next) out.push({ to: state.Next, label: "" });
    if (state.Default) out.push({ to: state.Default, label: "Default" });
    (state.Choices || []).forEach(function (c, i) {
      if (c.Next) out.push({ to: c.Next, label: "Rule " + (i + 1) });
    });
    (state.Catch || []).forEach(function (c) {
      if (c.Next) out.push({ to: c.Next, label: "Catch" });
    });
    const terminal = state.End === true || state.Type === "Succeed" || state.Type === "Fail";
    if (terminal) out.push({ to: "__end", label: "" });
    return out;
  }

  // Rows by breadth-first distance; a state reached again later keeps its first row, so cycles
  // (retry loops through a Choice) still lay out.
  function layout(definition) {
    const states = definition.States || {};
    const rows = new Map();
    const order = [];
    const queue = [];
    rows.set("__start", 0);
    order.push("__start");
    if (definition.StartAt && states[definition.StartAt]) {
      rows.set(definition.StartAt, 1);
      order.push(definition.StartAt);
      queue.push(definition.StartAt);
    }
    let maxRow = 1;
    while (queue.length) {
      const name = queue.shift();
      transitions(states[name]).forEach(function (t) {
        if (t.to === "__end" || !states[t.to] || rows.has(t.to)) return;
        rows.set(t.to, rows.get(name) + 1);
        maxRow = Math.max(maxRow, rows.get(name) + 1);
        order.push(t.to);
        queue.push(t.to);
      });
    }
    // States not reachable from StartAt still appear, in a row of their own.
    Object.keys(states).forEach(function (n) {
      if (!rows.has(n)) { rows.set(n, maxRow + 1); order.push(n); }
    });
    let last = 0;
    rows.forEach(function (r) { last = Math.max(last, r); });
    rows.set("__end", last + 1);
    order.push("__end");
    return { rows: rows, order: order, states: states };
  }

  // How far the execution got, per state: succeeded, failed, caught, running; absent = not run.
  function statusFromHistory(events, executionStatus) {
    const status = {};
    let current = null;
    (events || []).forEach(function (e) {
      if (e.stateEnteredEventDetails) {
        current = e.stateEnteredEventDetails.name;
        status[current] = "running";
      } else if (e.stateExitedEventDetails) {
        const n = e.stateExitedEventDetails.name;
        if (status[n] === "caught-pending") status[n] = "caught";
        else status[n] = "succeeded";
      } else if (/Failed$|TimedOut$|Aborted$/.test(e.type) && current && status[current] === "running") {
        status[current] = e.type.startsWith("Execution") ? "failed" : "caught-pending";
      }
    });
    Object.keys(status).forEach(function (n) {
      if (status[n] === "caught-pending") status[n] = "failed";
      if (status[n] === "running" && executionStatus && executionStatus !== "RUNNING") {
        status[n] = executionStatus === "SUCCEEDED" ? "succeeded" : "failed";
      }
    });
    // A Fail state "succeeds" at failing: AWS colours it as failed.
    return status;
  }

  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(definition, status, executionStatus) {
    const g = layout(definition);
    const W = 180, H = 40, GX = 40, GY = 56;
    const byRow = new Map();
    g.order.forEach(function (n) {
      const r = g.rows.get(n);
      if (!byRow.has(r)) byRow.set(r, []);
      byRow.get(r).push(n);
    });
    let widest = 1;
    byRow.forEach(function (list) { widest = Math.max(widest, list.length); });
    const width = widest * (W + GX) + GX;
    const rowCount = Math.max.apply(null, Array.from(byRow.keys())) + 1;
    const height = rowCount * (H + GY) + GY / 2;
    const pos = {};
    byRow.forEach(function (list, r) {
      const span = list.length * (W + GX) - GX;
      const x0 = (width - span) / 2;
      list.forEach(function (n, i) {
        pos[n] = { x: x0 + i * (W + GX), y: GY / 2 + r * (H + GY) };
      });
    });
    const svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-labelledby": "graph-title" });
    svg.appendChild(el("title", { id: "graph-title" }, "State machine graph"));
    const defs = el("defs");
    const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
      markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z" }));
    defs.appendChild(marker);
    svg.appendChild(defs);

    function edge(from, to, label) {
      const a = pos[from], b = pos[to];
      if (!a || !b) return;
      const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2;
      let d;
      if (b.y > a.y) {
        const y2 = b.y, my = (y1 + y2) / 2;
        d = "M " + x1 + " " + y1 + " C " + x1 + " " + my + ", " + x2 + " " + my + ", " + x2 + " " + y2;
      } else {
        // A transition back up (a loop): around the right-hand side.
        const xr = Math.max(a.x, b.x) + W + GX / 2;
        d = "M " + (a.x + W) + " " + (a.y + H / 2) + " C " + xr + " " + (a.y + H / 2) + ", " + xr +
          " " + (b.y + H / 2) + ", " + (b.x + W) + " " + (b.y + H / 2);
      }
      svg.appendChild(el("path", { class: "edge", d: d, "marker-end": "url(#arrow)" }));
      if (label) {
        svg.appendChild(el("text", { class: "edge-label", x: (x1 + x2) / 2 + 4,
          y: (y1 + b.y) / 2 }, label));
      }
    }
    if (definition.StartAt) edge("__start", definition.StartAt, "");
    Object.keys(g.states).forEach(function (n) {
      transitions(g.states[n]).forEach(function (t) { edge(n, t.to, t.label); });
    });

    g.order.forEach(function (n) {
      const p = pos[n];
      const terminal = n === "__start" || n === "__end";
      let s = terminal ? null : status[n];
      if (n === "__start") s = executionStatus ? "succeeded" : null;
      if (n === "__end" && executionStatus && executionStatus !== "RUNNING") {
        s = executionStatus === "SUCCEEDED" ? "succeeded" : "failed";
      }
      const state = g.states[n] || {};
      if (s === "succeeded" && state.Type === "Fail") s = "failed";
      const label = n === "__start" ? "Start" : n === "__end" ? "End" : n;
      const group = el("g", { class: "node" + (terminal ? " terminal" : "") +
        (s ? " status-" + s : ""), "data-state": label, transform: "translate(" + p.x + "," + p.y + ")" });
      group.appendChild(el("rect", { width: W, height: H, rx: terminal ? 20 : 6 }));
      const text = label.length > 24 ? label.slice(0, 23) + "…" : label;
      group.appendChild(el("text", { x: W / 2, y: H / 2 + 4, "text-anchor": "middle" }, text));
      const title = label + (state.Type ? " (" + state.Type + ")" : "") + ": " +
        ({ succeeded: "succeeded", failed: "failed", running: "in progress", caught: "caught error" }[s] || "not started");
      group.appendChild(el("title", {}, title));
      svg.appendChild(group);
    });
    return svg;
  }

  window.SignoffGraph = { layout: layout, render: render, statusFromHistory: statusFromHistory };
})();
