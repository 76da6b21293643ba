// The console's pages, drawn from the AWS API answers the server relays for the signed-in
// principal. No framework and no build step; every element is created with textContent (no
// innerHTML), so nothing an answer holds can become markup.
"use strict";
(function () {
  const main = document.getElementById("main");
  let session = null;
  let stream = null;

  // ------------------------------------------------------------------ small helpers
  function h(tag, attrs) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      const v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v === true) node.setAttribute(k, "");
      else node.setAttribute(k, v);
    });
    for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }
  function page(title) {
    drawHeader();  // after any redirect, so the current page is marked in the navigation
    document.title = title + " · Signoff console";
    main.replaceChildren();
    const args = Array.prototype.slice.call(arguments, 1);
    append(main, h("h1", {}, title));
    append(main, args);
    main.focus({ preventScroll: true });
  }
  function say(text) { document.getElementById("live").textContent = text; }
  function errorBox(err) {
    return h("div", { class: "error", role: "alert" },
      h("code", {}, err.code || "Error"), ": ", err.message || "");
  }
  function when(epochSeconds) {
    if (!epochSeconds) return "";
    return new Date(epochSeconds * 1000).toLocaleString();
  }
  function duration(seconds) {
    if (seconds <= 0) return "expired";
    const d = Math.floor(seconds / 86400), hh = Math.floor(seconds % 86400 / 3600),
      m = Math.floor(seconds % 3600 / 60);
    return (d ? d + " d " : "") + (d || hh ? hh + " h " : "") + m + " min";
  }
  function statusText(s) { return h("span", { class: "status status-" + s }, s); }
  function facts(pairs) {
    const dl = h("dl", { class: "facts" });
    pairs.forEach(function (p) { if (p[1] !== undefined && p[1] !== "") dl.append(h("dt", {}, p[0]), h("dd", {}, p[1])); });
    return dl;
  }
  function linksIn(text) {
    return (text || "").match(/https?:\/\/[^\s<>"')]+/g) || [];
  }
  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text || ""; }
  }

  // ------------------------------------------------------------------ the server
  class ApiError extends Error {
    constructor(code, message, status) { super(message); this.code = code; this.status = status; }
  }
  async function request(method, path, body) {
    const headers = {};
    if (method === "POST") {
      headers["Content-Type"] = "application/json";
      if (session) headers["X-CSRF-Token"] = session.csrf;
    }
    const res = await fetch(path, { method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await res.json().catch(function () { return {}; });
    if (!res.ok) {
      const e = data.error || {};
      if (res.status === 401 && e.code === "NotSignedIn") { session = null; }
      throw new ApiError(e.code || "HTTP" + res.status, e.message || res.statusText, res.status);
    }
    return data;
  }
  const get = function (path) { return request("GET", path); };
  const post = function (path, body) { return request("POST", path, body || {}); };
  // One AWS API call as the signed-in principal.
  const aws = function (target, input) { return post("/console/api/call", { target: target, input: input || {} }); };

  // ------------------------------------------------------------------ live updates
  function listen(params, handlers) {
    if (stream) stream.close();
    const q = new URLSearchParams(params).toString();
    stream = new EventSource("/console/api/events" + (q ? "?" + q : ""));
    Object.keys(handlers).forEach(function (name) {
      stream.addEventListener(name, function (ev) {
        let data = {};
        try { data = JSON.parse(ev.data); } catch (e) { /* keep {} */ }
        handlers[name](data);
      });
    });
    stream.addEventListener("signedout", function () { stream.close(); session = null; route(); });
  }

  // ------------------------------------------------------------------ header
  function drawHeader() {
    const signed = !!session;
    document.getElementById("nav").hidden = !signed;
    document.getElementById("who").hidden = !signed;
    if (!signed) return;
    const acting = session.acting;
    const who = session.role
      ? session.role + " (" + acting.arn + ") — signed in as " + session.user.arn
      : acting.arn;
    document.getElementById("identity").textContent = who;
    document.getElementById("back-to-user").hidden = !session.role;
    document.getElementById("password-link").hidden = session.user.kind !== "user";
    const path = location.pathname;
    document.querySelectorAll("#nav a").forEach(function (a) {
      const here = path === a.getAttribute("href") || path.startsWith(a.getAttribute("href") + "/");
      if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }
  document.getElementById("sign-out").addEventListener("click", async function () {
    try { await post("/console/api/signout"); } catch (e) { /* signed out anyway */ }
    session = null;
    if (stream) stream.close();
    navigate("/console/signin");
  });
  document.getElementById("back-to-user").addEventListener("click", async function () {
    session = await post("/console/api/back");
    say("Back to " + session.user.arn);
    route();
  });

  // ------------------------------------------------------------------ pages
  function signInPage(err) {
    const tabs = h("div", { class: "actions" });
    const byPassword = h("form", { class: "stack", id: "signin-password", "aria-label": "Sign in with a password" },
      h("label", {}, "Account ID", h("input", { name: "account", id: "account", autocomplete: "username",
        inputmode: "numeric", value: (session && session.account) || "" })),
      h("label", {}, "IAM user name", h("input", { name: "userName", id: "userName", required: true, autocomplete: "username" })),
      h("label", {}, "Password", h("input", { name: "password", id: "password", type: "password", required: true, autocomplete: "current-password" })),
      h("button", { type: "submit", class: "primary" }, "Sign in"));
    const byKey = h("form", { class: "stack", id: "signin-key", hidden: true, "aria-label": "Sign in with an access key" },
      h("label", {}, "Access key ID", h("input", { name: "accessKeyId", id: "accessKeyId", required: true, autocomplete: "off" })),
      h("label", {}, "Secret access key", h("input", { name: "secretAccessKey", id: "secretAccessKey", type: "password", required: true, autocomplete: "off" })),
      h("label", {}, "Session token (temporary credentials only)", h("input", { name: "sessionToken", id: "sessionToken", type: "password", autocomplete: "off" })),
      h("button", { type: "submit", class: "primary" }, "Sign in"));
    const toggle = h("button", { type: "button", "aria-controls": "signin-password signin-key",
      onclick: function () {
        byPassword.hidden = !byPassword.hidden; byKey.hidden = !byKey.hidden;
        toggle.textContent = byKey.hidden ? "Use an access key instead" : "Use a password instead";
      } }, "Use an access key instead");
    tabs.append(toggle);
    const box = h("div", {});
    async function submit(ev) {
      ev.preventDefault();
      const data = Object.fromEntries(new FormData(ev.target).entries());
      box.replaceChildren();
      try {
        session = await post("/console/api/signin", data);
        say("Signed in as " + session.user.arn);
        const back = sessionStorage.getItem("after-signin") || "/console/approvals";
        sessionStorage.removeItem("after-signin");
        navigate(back, true);
      } catch (e) { box.append(errorBox(e)); }
    }
    byPassword.addEventListener("submit", submit);
    byKey.addEventListener("submit", submit);
    page("Sign in", err ? errorBox(err) : null, box, byPassword, byKey, tabs);
  }

  function passwordPage() {
    const box = h("div", {});
    const form = h("form", { class: "stack", id: "change-password" },
      h("label", {}, "Current password", h("input", { name: "oldPassword", id: "oldPassword", type: "password", required: true, autocomplete: "current-password" })),
      h("label", {}, "New password", h("input", { name: "newPassword", id: "newPassword", type: "password", required: true, autocomplete: "new-password" })),
      h("button", { type: "submit", class: "primary" }, "Change password"));
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      box.replaceChildren();
      try {
        session = await post("/console/api/change-password", Object.fromEntries(new FormData(form).entries()));
        say("Password changed");
        navigate("/console/approvals");
      } catch (e) { box.append(errorBox(e)); }
    });
    page("Change password", session.mustChangePassword
      ? h("p", { class: "notice", role: "status" }, "Your password must be changed before you continue.") : null, box, form);
  }

  function switchRolePage() {
    const box = h("div", {});
    const form = h("form", { class: "stack", id: "switch-role" },
      h("label", {}, "Role ARN", h("input", { name: "roleArn", id: "roleArn", required: true,
        placeholder: "arn:aws:iam::" + session.account + ":role/NAME" })),
      h("label", {}, "Display name (optional)", h("input", { name: "displayName", id: "displayName" })),
      h("button", { type: "submit", class: "primary" }, "Switch role"));
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      box.replaceChildren();
      const data = Object.fromEntries(new FormData(form).entries());
      try {
        session = await post("/console/api/switch-role", data);
        say("Now acting as " + session.acting.arn);
        navigate("/console/approvals");
      } catch (e) { box.append(errorBox(e)); }
    });
    page("Switch role", h("p", {}, "Act as a role you may assume (sts:AssumeRole as " + session.user.arn +
      "; the role's trust policy applies)."), box, form);
  }

  function approvalCard(item, detailed) {
    const a = item.approval || {};
    const now = Date.now() / 1000;
    const links = linksIn(a.message);
    const decided = (a.decisions || []).map(function (d) {
      return h("li", {}, statusText(d.decision), " by ", d.approver, d.comment ? " — “" + d.comment + "”" : "",
        d.time ? " (" + (isNaN(Date.parse(d.time)) ? d.time : new Date(d.time).toLocaleString()) + ")" : "");
    });
    const heading = detailed ? null : h("h2", {}, h("a", { href: "/console/approvals/" + item.executionId }, item.documentName + " · " + (a.stepName || "")));
    return h("article", { class: "card", "data-execution": item.executionId, "aria-label": "Approval " + item.executionId },
      heading,
      a.message ? h("div", { class: "message" }, a.message) : null,
      links.length ? h("ul", { class: "links", "aria-label": "Links in the message" },
        links.map(function (l) { return h("li", {}, h("a", { href: l, rel: "noopener noreferrer", target: "_blank" }, l)); })) : null,
      facts([
        ["Status", a.approvalStatus ? statusText(a.approvalStatus) : statusText(item.executionStatus)],
        ["Requested by", item.executedBy],
        ["Requesting workflow", item.requestingExecution
          ? h("a", { href: "/console/executions/" + encodeURIComponent(item.requestingExecution), id: "requesting-workflow" },
            "Step Functions execution " + item.requestingExecution.split(":").slice(-2).join(" / "))
          : "Automation document " + item.documentName + (item.parentExecutionId ? " (parent execution " + item.parentExecutionId + ")" : "")],
        ["Automation document", item.documentName],
        ["Execution", h("a", { href: "/console/automations/" + item.executionId }, item.executionId)],
        ["Approvers", (a.approvers || []).join(", ")],
        ["Approvals needed", String(a.minRequiredApprovals || 1)],
        ["Time left", a.stepStatus === "Waiting" ? duration(a.deadline - now) + " (until " + when(a.deadline) + ")" : "—"],
      ]),
      h("h3", {}, "Decisions so far"),
      decided.length ? h("ul", { class: "decisions" }, decided) : h("p", {}, "Nobody has decided yet."),
      // Agent approvers (#11): "decided by agent X: reason", from SignoffAgents.ListAgentDecisions.
      detailed ? agentDecisions(item.executionId) : null,
      detailed ? decideForm(item) : null);
  }

  function agentDecisions(id) {
    const section = h("section", { class: "agent-decisions", "aria-label": "Agent decisions", "data-agent-decisions": id });
    aws("SignoffAgents.ListAgentDecisions", { AutomationExecutionId: id }).then(function (data) {
      const items = (data.Decisions || []).map(function (d) {
        return h("li", {}, "Decided by agent ", h("strong", {}, d.AgentName), ": ", statusText(d.Decision),
          d.Reason ? " — " + d.Reason : "",
          typeof d.Confidence === "number" ? " (confidence " + d.Confidence + ")" : "");
      });
      if (items.length) section.replaceChildren(h("h3", {}, "Agent decisions"), h("ul", {}, items));
    }).catch(function (e) {
      // Not allowed to read agent decisions: said once, quietly, in their place.
      section.replaceChildren(h("p", { class: "muted" }, "Agent decisions: " + (e.code || "Error") + " (" + e.message + ")"));
    });
    return section;
  }

  function decideForm(item) {
    const a = item.approval || {};
    if (!a.canDecide) {
      let why = "You cannot decide this approval.";
      if (a.stepStatus && a.stepStatus !== "Waiting") why = "This approval is no longer waiting (" + a.approvalStatus + ").";
      else if (a.decidedByMe) why = "You have already decided.";
      else if (!a.matchedApprover) why = "You (" + session.acting.arn + ") are not one of its approvers.";
      return h("p", { class: "notice", id: "cannot-decide" }, why);
    }
    const box = h("div", {});
    const form = h("form", { class: "stack", id: "decide", "aria-label": "Decide" },
      h("label", {}, "Comment", h("textarea", { name: "comment", id: "comment", maxlength: 4096 })),
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary", name: "decision", value: "Approve", id: "approve" }, "Approve"),
        h("button", { type: "submit", class: "danger", name: "decision", value: "Reject", id: "reject" }, "Reject")),
      box);
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const decision = ev.submitter ? ev.submitter.value : "Approve";
      const comment = form.elements.comment.value;
      const payload = comment ? { Comment: [comment] } : {};
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      box.replaceChildren();
      try {
        await aws("AmazonSSM.SendAutomationSignal", { AutomationExecutionId: item.executionId,
          SignalType: decision, Payload: payload });
        say(decision === "Approve" ? "Approved" : "Rejected");
        approvalPage(item.executionId, decision === "Approve" ? "You approved." : "You rejected.");
      } catch (e) {
        box.append(errorBox(e));
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      }
    });
    return form;
  }

  async function waitingPage() {
    const list = h("div", { class: "cards", id: "waiting" });
    page("Waiting for me", h("p", {}, "Approvals you (" + session.acting.arn + ") may decide and have not decided yet."), list);
    function draw(data) {
      list.replaceChildren();
      if (data.error) { list.append(errorBox(data.error)); return; }
      const items = data.approvals || [];
      if (!items.length) list.append(h("p", { id: "none-waiting" }, "Nothing is waiting for you."));
      items.forEach(function (item) { list.append(approvalCard(item, false)); });
    }
    try { draw(await get("/console/api/waiting")); } catch (e) { list.replaceChildren(errorBox(e)); }
    listen({}, { waiting: draw });
  }

  async function approvalPage(id, notice) {
    const holder = h("div", { id: "approval" });
    page("Approval", notice ? h("p", { class: "notice", role: "status" }, notice) : null, holder);
    let shown = "";
    function draw(item) {
      shown = JSON.stringify(item);
      holder.replaceChildren(item.error ? errorBox(item.error) : approvalCard(item, true));
    }
    try { draw(await get("/console/api/approvals/" + encodeURIComponent(id))); }
    catch (e) { holder.replaceChildren(errorBox(e)); }
    listen({ approval: id }, { approval: function (item) {
      if (JSON.stringify(item) === shown) return;  // what the page already shows
      // Keep a half-written comment: redraw only when nothing is being typed.
      const c = document.getElementById("comment");
      if (c && c.value) return;
      draw(item);
      say("The approval changed.");
    } });
  }

  async function workflowsPage() {
    const box = h("div", {});
    page("Workflows", box);
    try {
      const data = await aws("AWSStepFunctions.ListStateMachines", { maxResults: 100 });
      const rows = (data.stateMachines || []).map(function (m) {
        return h("tr", {}, h("td", {}, h("a", { href: "/console/workflows/" + encodeURIComponent(m.stateMachineArn) }, m.name)),
          h("td", {}, m.type), h("td", {}, when(m.creationDate)));
      });
      box.append(rows.length ? h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { class: "visually-hidden" }, "State machines"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Created"))),
        h("tbody", {}, rows))) : h("p", {}, "No state machines."));
    } catch (e) { box.append(errorBox(e)); }
  }

  async function executionsPage(arn) {
    const box = h("div", {});
    const params = new URLSearchParams(location.search);
    const filter = params.get("status") || "";
    const select = h("select", { id: "status-filter", name: "status" },
      ["", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"].map(function (s) {
        return h("option", { value: s, selected: s === filter }, s || "Any status");
      }));
    select.addEventListener("change", function () {
      navigate(location.pathname + (select.value ? "?status=" + select.value : ""));
    });
    const name = decodeURIComponent(arn).split(":").pop();
    page("Executions of " + name, h("div", { class: "filters" }, h("label", {}, "Status", select)), box);
    try {
      const input = { stateMachineArn: decodeURIComponent(arn), maxResults: 100 };
      if (filter) input.statusFilter = filter;
      const data = await aws("AWSStepFunctions.ListExecutions", input);
      const rows = (data.executions || []).map(function (e) {
        return h("tr", {}, h("td", {}, h("a", { href: "/console/executions/" + encodeURIComponent(e.executionArn) }, e.name)),
          h("td", {}, statusText(e.status)), h("td", {}, when(e.startDate)), h("td", {}, when(e.stopDate)));
      });
      box.append(rows.length ? h("div", { class: "table-wrap" }, h("table", { id: "executions" },
        h("caption", { class: "visually-hidden" }, "Executions"),
        h("thead", {}, h("tr", {}, ["Name", "Status", "Started", "Ended"].map(function (t) { return h("th", { scope: "col" }, t); }))),
        h("tbody", {}, rows))) : h("p", {}, "No executions" + (filter ? " with status " + filter : "") + "."));
    } catch (e) { box.append(errorBox(e)); }
  }

  async function executionPage(arnEncoded) {
    const arn = decodeURIComponent(arnEncoded);
    const summary = h("div", {}), graph = h("div", { class: "graph-wrap", id: "graph" }),
      io = h("div", {}), history = h("div", { class: "table-wrap" });
    page("Execution " + arn.split(":").pop(), summary,
      h("h2", {}, "Graph"),
      h("ul", { class: "legend", "aria-label": "Legend" }, h("li", { class: "succeeded" }, "Succeeded"),
        h("li", { class: "failed" }, "Failed"), h("li", { class: "running" }, "In progress"),
        h("li", { class: "caught" }, "Caught error"), h("li", {}, "Not started")),
      graph, h("h2", {}, "Input and output"), io, h("h2", {}, "Event history"), history);
    let definition = null;
    let shown = "";
    async function draw() {
      try {
        const d = await aws("AWSStepFunctions.DescribeExecution", { executionArn: arn });
        if (!definition) {
          const m = await aws("AWSStepFunctions.DescribeStateMachineForExecution", { executionArn: arn });
          definition = JSON.parse(m.definition);
        }
        const events = [];
        let token;
        do {
          const page = await aws("AWSStepFunctions.GetExecutionHistory", { executionArn: arn, maxResults: 1000, nextToken: token });
          events.push.apply(events, page.events || []);
          token = page.nextToken;
        } while (token);
        shown = d.status + "/" + (events.length ? events[events.length - 1].id : "");
        summary.replaceChildren(facts([["Status", statusText(d.status)], ["State machine",
          h("a", { href: "/console/workflows/" + encodeURIComponent(d.stateMachineArn) }, d.stateMachineArn.split(":").pop())],
          ["Started", when(d.startDate)], ["Ended", when(d.stopDate)], ["Error", d.error], ["Cause", d.cause]]));
        const status = window.SignoffGraph.statusFromHistory(events, d.status);
        // The same information as text, for screen readers (the picture is one image to them).
        const words = { succeeded: "succeeded", failed: "failed", running: "in progress", caught: "caught error" };
        graph.replaceChildren(window.SignoffGraph.render(definition, status, d.status),
          h("ul", { class: "visually-hidden", "aria-label": "States and how far the execution got" },
            Object.keys(definition.States || {}).map(function (n) {
              return h("li", {}, n + ": " + (words[status[n]] || "not started"));
            })));
        io.replaceChildren(h("h3", {}, "Input"), h("pre", { class: "json" }, pretty(d.input)),
          h("h3", {}, "Output"), h("pre", { class: "json" }, d.output ? pretty(d.output) : "—"));
        history.replaceChildren(h("table", { id: "history" },
          h("caption", { class: "visually-hidden" }, "Event history"),
          h("thead", {}, h("tr", {}, ["ID", "Type", "Step", "Time"].map(function (t) { return h("th", { scope: "col" }, t); }))),
          h("tbody", {}, events.map(function (e) {
            const step = (e.stateEnteredEventDetails || e.stateExitedEventDetails || {}).name || "";
            return h("tr", {}, h("td", {}, String(e.id)), h("td", {}, e.type), h("td", {}, step), h("td", {}, when(e.timestamp)));
          }))));
      } catch (e) { summary.replaceChildren(errorBox(e)); }
    }
    await draw();
    listen({ execution: arn }, { execution: function (e) {
      if (e.status + "/" + (e.lastEventId === null ? "" : e.lastEventId) === shown) return;
      draw().then(function () { say("The execution changed."); });
    } });
  }

  async function automationsPage() {
    const box = h("div", {});
    page("Automations", box);
    try {
      const data = await aws("AmazonSSM.DescribeAutomationExecutions", { MaxResults: 50 });
      const rows = (data.AutomationExecutionMetadataList || []).map(function (e) {
        return h("tr", {}, h("td", {}, h("a", { href: "/console/automations/" + e.AutomationExecutionId }, e.AutomationExecutionId)),
          h("td", {}, e.DocumentName), h("td", {}, statusText(e.AutomationExecutionStatus)),
          h("td", {}, e.ExecutedBy || ""), h("td", {}, when(e.ExecutionStartTime)));
      });
      box.append(rows.length ? h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { class: "visually-hidden" }, "Automation executions"),
        h("thead", {}, h("tr", {}, ["Execution", "Document", "Status", "Started by", "Started"].map(function (t) { return h("th", { scope: "col" }, t); }))),
        h("tbody", {}, rows))) : h("p", {}, "No automation executions."));
    } catch (e) { box.append(errorBox(e)); }
  }

  async function automationPage(id) {
    const box = h("div", {});
    page("Automation " + id, box);
    try {
      const got = await aws("AmazonSSM.GetAutomationExecution", { AutomationExecutionId: id });
      const e = got.AutomationExecution || {};
      const steps = await aws("AmazonSSM.DescribeAutomationStepExecutions", { AutomationExecutionId: id });
      const approval = (steps.StepExecutions || []).some(function (s) { return s.Action === "aws:approve"; });
      box.append(facts([["Document", e.DocumentName], ["Status", statusText(e.AutomationExecutionStatus)],
        ["Started by", e.ExecutedBy], ["Started", when(e.ExecutionStartTime)], ["Ended", when(e.ExecutionEndTime)],
        ["Failure", e.FailureMessage]]),
        approval ? h("p", {}, h("a", { href: "/console/approvals/" + id }, "Open its approval")) : null,
        h("h2", {}, "Steps"),
        h("div", { class: "table-wrap" }, h("table", {},
          h("caption", { class: "visually-hidden" }, "Steps"),
          h("thead", {}, h("tr", {}, ["Step", "Action", "Status", "Started", "Ended", "Outputs"].map(function (t) { return h("th", { scope: "col" }, t); }))),
          h("tbody", {}, (steps.StepExecutions || []).map(function (s) {
            return h("tr", {}, h("td", {}, s.StepName), h("td", {}, s.Action), h("td", {}, statusText(s.StepStatus)),
              h("td", {}, when(s.ExecutionStartTime)), h("td", {}, when(s.ExecutionEndTime)),
              h("td", {}, s.Outputs ? h("pre", { class: "json" }, JSON.stringify(s.Outputs, null, 2)) : ""));
          })))));
    } catch (err) { box.append(errorBox(err)); }
  }

  async function auditPage() {
    const check = h("div", { id: "chain" }), box = h("div", { class: "table-wrap" });
    page("Audit log", h("p", {}, "Every approve and reject that reached a waiting approval, in order. Each record holds the hash of the one before it, so a changed, removed or reordered record breaks the chain."),
      check, box);
    try {
      const v = await aws("SignoffAudit.VerifyAuditChain", {});
      check.replaceChildren(v.Intact
        ? h("p", { class: "notice", role: "status" }, v.Records + " records, chain intact")
        : h("div", { class: "error", role: "alert" }, "Chain broken at record " + v.BrokenRecord + ": " + v.Reason));
    } catch (e) { check.replaceChildren(errorBox(e)); }
    try {
      const records = [];
      let token;
      do {
        const p = await aws("SignoffAudit.ListAuditRecords", { MaxResults: 100, NextToken: token });
        records.push.apply(records, p.Records || []);
        token = p.NextToken;
      } while (token && records.length < 1000);
      box.replaceChildren(records.length ? h("table", { id: "audit" },
        h("caption", { class: "visually-hidden" }, "Audit records"),
        h("thead", {}, h("tr", {}, ["#", "Time", "Principal", "Decision", "Counted", "Comment", "From", "Execution", "Hash"].map(function (t) { return h("th", { scope: "col" }, t); }))),
        h("tbody", {}, records.map(function (r) {
          return h("tr", {}, h("td", {}, String(r.Sequence)), h("td", {}, when(r.Time)), h("td", {}, r.Principal),
            h("td", {}, statusText(r.Decision === "Approve" ? "Approved" : "Rejected")), h("td", {}, r.Outcome === "Counted" ? "yes" : "no (repeated)"),
            h("td", {}, r.Comment), h("td", {}, r.SourceAddress),
            h("td", {}, h("a", { href: "/console/approvals/" + r.AutomationExecutionId }, r.DocumentName + " · " + r.StepName)),
            h("td", {}, h("code", { title: r.Hash }, r.Hash.slice(0, 12) + "…")));
        }))) : h("p", {}, "No decisions recorded yet."));
    } catch (e) { box.replaceChildren(errorBox(e)); }
  }

  // ------------------------------------------------------------------ routing
  function navigate(path, replace) {
    if (replace) history.replaceState({}, "", path); else history.pushState({}, "", path);
    route();
  }
  document.addEventListener("click", function (ev) {
    const a = ev.target.closest && ev.target.closest("a");
    if (!a || a.target === "_blank" || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/console")) return;
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener("popstate", route);

  async function route() {
    if (stream) { stream.close(); stream = null; }
    const path = location.pathname.replace(/\/+$/, "");
    if (!session && path !== "/console/signin") {
      try { session = await get("/console/api/session"); } catch (e) { session = null; }
    }
    drawHeader();
    if (!session) {
      if (path !== "/console/signin") sessionStorage.setItem("after-signin", location.pathname + location.search);
      if (path !== "/console/signin") history.replaceState({}, "", "/console/signin");
      signInPage();
      return;
    }
    let m;
    if (path === "/console/signin") { navigate("/console/approvals", true); return; }
    if (session.mustChangePassword || path === "/console/password") {
      if (path !== "/console/password") history.replaceState({}, "", "/console/password");
      return passwordPage();
    }
    if (path === "/console" || path === "/console/approvals") return waitingPage();
    if ((m = path.match(/^\/console\/approvals\/([^/]+)$/))) return approvalPage(decodeURIComponent(m[1]));
    if (path === "/console/switch-role") return switchRolePage();
    if (path === "/console/workflows") return workflowsPage();
    if ((m = path.match(/^\/console\/workflows\/([^/]+)$/))) return executionsPage(m[1]);
    if ((m = path.match(/^\/console\/executions\/([^/]+)$/))) return executionPage(m[1]);
    if (path === "/console/automations") return automationsPage();
    if ((m = path.match(/^\/console\/automations\/([^/]+)$/))) return automationPage(decodeURIComponent(m[1]));
    if (path === "/console/audit") return auditPage();
    page("Not found", h("p", {}, "No console page here. ", h("a", { href: "/console/approvals" }, "Go to the approvals waiting for you.")));
  }
  route();
})();
