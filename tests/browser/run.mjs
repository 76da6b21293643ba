// The approver console in a real browser: Debian's chromium, headless, driven by playwright-core,
// against a real `signoff serve` (signatures checked) set up through the AWS API (setup.py).
//
//   node run.mjs            (SIGNOFF_BIN, SIGNOFF_SHARED, SIGNOFF_ARTIFACTS, CHROMIUM as overrides)
//
// Screenshots of every page go to SIGNOFF_ARTIFACTS (default build/release/artifacts/console).
// Prints "N passed, N failed" and exits non-zero when a check failed.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const bin = process.env.SIGNOFF_BIN || path.join(root, "build", "release", "signoff");
const shared = process.env.SIGNOFF_SHARED || path.join(path.dirname(root), "shared");
const artifacts = process.env.SIGNOFF_ARTIFACTS || path.join(root, "build", "release", "artifacts", "console");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const seed = path.join(shared, "seed", "SfnApprovalCFnSfnWithSsmApprovalAndEventBridge.yml");

let passed = 0, failed = 0;
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split("\n").join("\n  ")}`);
  }
}
function expect(cond, what) { if (!cond) throw new Error("expected " + what); }

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
async function waitListening(port, proc, logPath) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error("signoff exited: " + fs.readFileSync(logPath, "utf8"));
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, "127.0.0.1", () => { c.end(); resolve(true); });
      c.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("signoff did not start listening");
}

async function main() {
  if (!fs.existsSync(seed)) { console.log(`seed template missing (${seed})\n0 passed, 1 failed`); process.exit(1); }
  fs.mkdirSync(artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "signoff-console-"));
  const data = path.join(tmp, "data"), logPath = path.join(tmp, "signoff.log");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(logPath, "a");
  const server = spawn(bin, ["serve", "--port", String(port), "--data", data],
    { stdio: ["ignore", log, log] });
  let browser;
  try {
    await waitListening(port, server, logPath);
    const setup = spawnSync("/usr/bin/python3", [path.join(here, "setup.py"), base, data, seed],
      { encoding: "utf8", timeout: 600000 });
    if (setup.status !== 0) throw new Error("setup failed: " + setup.stderr + setup.stdout);
    const world = JSON.parse(setup.stdout.trim().split("\n").pop());
    const [run1, run2] = world.runs;

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    const shot = (page, name) => page.screenshot({ path: path.join(artifacts, name + ".png"), fullPage: true });

    // ------------------------------------------------------------------ the approver
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const consoleErrors = [];
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    // Refusals the pages expect (401 before sign-in) are not errors; anything else >= 400 is.
    page.on("response", async (r) => {
      if (r.status() >= 400 && r.status() !== 401) {
        const body = await r.text().catch(() => "");
        consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()} ${r.request().postData() || ""} → ${body}`);
      }
    });

    await check("the approval mail's link asks to sign in, then opens that approval", async () => {
      await page.goto(`${base}/console/approvals/${run1.automationId}`);
      await page.waitForSelector("#signin-password");
      await shot(page, "01-sign-in");
      await page.fill("#account", world.account);
      await page.fill("#userName", "approver1");
      await page.fill("#password", world.password);
      await page.click("#signin-password button[type=submit]");
      await page.waitForSelector(`#approval [data-execution="${run1.automationId}"]`);
      // As the user itself approver1 is no approver (the role is): no approve control.
      expect(await page.locator("#approve").count() === 0, "no approve control before switching role");
      await page.waitForSelector("#cannot-decide");
      await shot(page, "02-approval-as-user");
    });

    await check("the session cookie is Secure, HttpOnly, SameSite=Strict and kept on http://127.0.0.1", async () => {
      const cookies = await ctx.cookies();
      const c = cookies.find((x) => x.name === "signoff_console");
      expect(c, "the session cookie to be stored");
      expect(c.secure && c.httpOnly && c.sameSite === "Strict", "Secure, HttpOnly, SameSite=Strict: " + JSON.stringify(c));
    });

    await check("switch role, then the approvals waiting for the role appear", async () => {
      await page.click("#switch-role-link");
      await page.waitForSelector("#switch-role");
      await page.fill("#roleArn", world.roleArn);
      await page.fill("#displayName", "approvers");
      await shot(page, "03-switch-role");
      await page.click("#switch-role button[type=submit]");
      await page.waitForSelector("#waiting article");
      const ids = await page.locator("#waiting article").evaluateAll((as) => as.map((a) => a.dataset.execution));
      expect(ids.includes(run1.automationId) && ids.includes(run2.automationId) && ids.length === 2,
        "both waiting approvals listed for the role session: " + ids);
      expect((await page.textContent("#identity")).includes("assumed-role/approvers/"), "the header names the role session");
      await shot(page, "04-waiting-for-me");
    });

    await check("approve with a comment through SendAutomationSignal", async () => {
      await page.click(`#waiting article[data-execution="${run1.automationId}"] h2 a`);
      await page.waitForSelector("#approve");
      // The requesting workflow is the Step Functions execution whose task token the automation holds.
      const href = await page.getAttribute("#requesting-workflow", "href");
      expect(href === "/console/executions/" + encodeURIComponent(run1.executionArn), "the requesting execution: " + href);
      await page.fill("#comment", "ship it — checked in the console");
      await shot(page, "05-approval");
      await page.click("#approve");
      await page.waitForSelector("text=You approved.");
      await page.waitForSelector("ul.decisions li");
      const decisions = await page.textContent("ul.decisions");
      expect(decisions.includes("Approved") && decisions.includes("ship it — checked in the console") &&
        decisions.includes("assumed-role/approvers/"), "the decision with its comment: " + decisions);
      await shot(page, "06-approved");
    });

    await check("the execution's graph turns Approved (coloured as succeeded), live", async () => {
      await page.goto(`${base}/console/executions/${encodeURIComponent(run1.executionArn)}`);
      await page.waitForSelector('#graph svg [data-state="Approved"]');
      await page.waitForSelector('#graph svg [data-state="Approved"].status-succeeded', { timeout: 60000 });
      await page.waitForSelector('#graph svg [data-state="Rejected"]:not(.status-succeeded)');
      await page.waitForSelector("text=SUCCEEDED");
      await shot(page, "07-execution-graph");
    });

    await check("workflows, executions with a status filter, automations and their steps", async () => {
      await page.click('#nav a[href="/console/workflows"]');
      await page.waitForSelector("text=StepFunctionsWithSsmAutomationApproval");
      await shot(page, "08-workflows");
      await page.click("text=StepFunctionsWithSsmAutomationApproval");
      await page.waitForSelector("#executions");
      await page.selectOption("#status-filter", "RUNNING");
      await page.waitForURL(/\?status=RUNNING$/);
      await page.waitForSelector("#executions");
      const rows = await page.locator("#executions tbody tr").allTextContents();
      expect(rows.length === 1 && rows[0].includes("outsider-looks"), "only the running execution: " + rows);
      await shot(page, "09-executions-running");
      await page.click('#nav a[href="/console/automations"]');
      await page.waitForSelector(`text=${run1.automationId}`);
      await shot(page, "10-automations");
      await page.click(`text=${run1.automationId}`);
      await page.waitForSelector("text=aws:approve");
      await shot(page, "11-automation-steps");
      await page.click('#nav a[href="/console/audit"]');
      await page.waitForSelector("text=1 records, chain intact");
      const audit = await page.textContent("#audit");
      expect(audit.includes("ship it — checked in the console") && audit.includes("assumed-role/approvers/"),
        "the decision in the audit log: " + audit);
      await shot(page, "12-audit");
    });

    await check("back to user, sign out", async () => {
      await page.click("#back-to-user");
      // (No waitForFunction: its polling evaluates strings, which the console's CSP forbids.)
      await page.waitForSelector("#back-to-user", { state: "hidden" });
      expect(!(await page.textContent("#identity")).includes("assumed-role"), "back to the user");
      await page.click("#sign-out");
      await page.waitForSelector("#signin-password");
      const r = await page.evaluate(async () => (await fetch("/console/api/session")).status);
      expect(r === 401, "the session is gone after sign-out: " + r);
    });

    // ------------------------------------------------------------------ the outsider
    const octx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const opage = await octx.newPage();
    await check("a user who is not an approver sees no approve control (phone-sized screen)", async () => {
      await opage.goto(`${base}/console/signin`);
      await opage.click("text=Use an access key instead");
      await opage.fill("#accessKeyId", world.outsiderKey[0]);
      await opage.fill("#secretAccessKey", world.outsiderKey[1]);
      await opage.click("#signin-key button[type=submit]");
      await opage.waitForSelector("#none-waiting");
      await shot(opage, "13-outsider-waiting-phone");
      await opage.goto(`${base}/console/approvals/${run2.automationId}`);
      await opage.waitForSelector("#cannot-decide");
      expect(await opage.locator("#approve").count() === 0, "no approve control");
      await shot(opage, "14-outsider-approval-phone");
    });

    await check("a forged POST without the CSRF token is refused", async () => {
      const r = await opage.evaluate(async (id) => {
        const res = await fetch("/console/api/call", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ target: "AmazonSSM.SendAutomationSignal", input: { AutomationExecutionId: id, SignalType: "Approve" } }) });
        return [res.status, await res.text()];
      }, run2.automationId);
      expect(r[0] === 403 && r[1].includes("InvalidCsrfToken"), "403 InvalidCsrfToken: " + r);
    });

    await check("a POST from another origin is refused even with the token", async () => {
      const cookies = await octx.cookies();
      const c = cookies.find((x) => x.name === "signoff_console");
      const session = await opage.evaluate(async () => (await fetch("/console/api/session")).json());
      const res = await fetch(`${base}/console/api/call`, { method: "POST", headers: {
        "Content-Type": "application/json", Origin: "http://evil.example", Cookie: `signoff_console=${c.value}`,
        "X-CSRF-Token": session.csrf },
      body: JSON.stringify({ target: "AmazonSSM.SendAutomationSignal", input: { AutomationExecutionId: run2.automationId, SignalType: "Approve" } }) });
      const text = await res.text();
      expect(res.status === 403 && text.includes("InvalidOrigin"), "403 InvalidOrigin: " + res.status + " " + text);
    });

    await check("a POST with the token from the outsider is refused by SSM, with AWS's error", async () => {
      const r = await opage.evaluate(async (id) => {
        const s = await (await fetch("/console/api/session")).json();
        const res = await fetch("/console/api/call", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf },
          body: JSON.stringify({ target: "AmazonSSM.SendAutomationSignal", input: { AutomationExecutionId: id, SignalType: "Approve" } }) });
        return [res.status, await res.text()];
      }, run2.automationId);
      expect(r[0] === 400 && r[1].includes("AccessDeniedException") && r[1].includes("is not an approver"),
        "SSM's AccessDeniedException: " + r);
      // And the approval still waits.
      const a = await opage.evaluate(async (id) => (await fetch("/console/api/approvals/" + id)).json(), run2.automationId);
      expect(a.approval.stepStatus === "Waiting", "still waiting: " + JSON.stringify(a.approval));
    });

    await check("repeated failed sign-ins lock the name out", async () => {
      let last;
      for (let i = 0; i < 6; i++) {
        last = await fetch(`${base}/console/api/signin`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base },
          body: JSON.stringify({ account: world.account, userName: "outsider", password: "wrong password " + i }) });
      }
      const text = await last.text();
      expect(last.status === 429 && text.includes("LockedOut"), "locked out: " + last.status + " " + text);
      const right = await fetch(`${base}/console/api/signin`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base },
        body: JSON.stringify({ account: world.account, userName: "outsider", password: world.password }) });
      expect(right.status === 429, "even the right password is refused while locked: " + right.status);
    });

    await check("static assets carry ETag, Cache-Control and a strict CSP", async () => {
      const res = await fetch(`${base}/console/assets/console.js`);
      const etag = res.headers.get("etag");
      expect(etag && res.headers.get("cache-control") === "no-cache", "ETag and Cache-Control");
      expect((res.headers.get("content-security-policy") || "").includes("script-src 'self'"), "CSP");
      const again = await fetch(`${base}/console/assets/console.js`, { headers: { "If-None-Match": etag } });
      expect(again.status === 304, "304 on a matching ETag: " + again.status);
    });

    await check("an open approval page updates live when another approver decides", async () => {
      const signInAsRole = async (p) => {
        await p.goto(`${base}/console/signin`);
        await p.fill("#account", world.account);
        await p.fill("#userName", "approver1");
        await p.fill("#password", world.password);
        await p.click("#signin-password button[type=submit]");
        await p.waitForSelector("#waiting");
        await p.goto(`${base}/console/switch-role`);
        await p.fill("#roleArn", world.roleArn);
        await p.click("#switch-role button[type=submit]");
        await p.waitForSelector("#waiting article");
      };
      const watcher = await (await browser.newContext()).newPage();
      const other = await (await browser.newContext()).newPage();
      await signInAsRole(watcher);
      await signInAsRole(other);
      await watcher.goto(`${base}/console/approvals/${run2.automationId}`);
      await watcher.waitForSelector("#approve");
      await other.goto(`${base}/console/approvals/${run2.automationId}`);
      await other.fill("#comment", "not this time");
      await other.click("#reject");
      await other.waitForSelector("text=You rejected.");
      // No reload: the event stream brings the decision to the open page.
      await watcher.waitForSelector("ul.decisions >> text=not this time", { timeout: 30000 });
      await watcher.waitForSelector("#cannot-decide");
      await shot(watcher, "15-live-update");
    });

    await check("a password that must be changed is changed at the first sign-in (ChangePassword)", async () => {
      const p = await (await browser.newContext()).newPage();
      await p.goto(`${base}/console/signin`);
      await p.fill("#account", world.account);
      await p.fill("#userName", "newcomer");
      await p.fill("#password", world.password);
      await p.click("#signin-password button[type=submit]");
      await p.waitForSelector("#change-password");
      await shot(p, "16-change-password");
      await p.fill("#oldPassword", world.password);
      await p.fill("#newPassword", "short");
      await p.click("#change-password button[type=submit]");
      await p.waitForSelector("[role=alert] >> text=PasswordPolicyViolation");
      await p.fill("#newPassword", "a brand new passphrase");
      await p.click("#change-password button[type=submit]");
      await p.waitForSelector("#waiting");
      const signIn = (password) => fetch(`${base}/console/api/signin`, { method: "POST",
        headers: { "Content-Type": "application/json", Origin: base },
        body: JSON.stringify({ account: world.account, userName: "newcomer", password }) });
      expect((await signIn(world.password)).status === 403, "the old password no longer works");
      const again = await (await signIn("a brand new passphrase")).json();
      expect(again.mustChangePassword === false, "no change asked any more: " + JSON.stringify(again));
    });

    await check("no script errors in the pages", async () => {
      if (process.env.DEBUG_CONSOLE) console.log(consoleErrors.join("\n"));
      expect(consoleErrors.filter((e) => !e.startsWith("Failed to load resource")).length === 0,
        "none: " + consoleErrors.join("\n"));
    });
  } catch (e) {
    failed++;
    console.log("not ok - setting up\n  " + String(e && e.stack || e));
    try { console.log(fs.readFileSync(logPath, "utf8").slice(-4000)); } catch (_) { /* no log */ }
  } finally {
    if (browser) await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => { if (server.exitCode !== null) r(); else server.on("exit", r); });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
