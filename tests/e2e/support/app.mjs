// End-to-end harness: runs the real Litigant binary under Xvfb and drives it through
// WebKitGTK's own WebDriver server (WebKitWebDriver) with webdriverio in standalone mode.
//
// Each launchApp() starts its own Xvfb and WebKitWebDriver, because the app inherits its
// environment (data folder, display) from the driver process; closeApp() tears all of it down.
// Only one app runs at a time per test file (node --test runs each file in its own process).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const OUT_DIR = path.join(REPO_ROOT, 'target', 'e2e');
export const SCREENSHOT_DIR = path.join(OUT_DIR, 'screenshots');
export const LOG_DIR = path.join(OUT_DIR, 'logs');

/** Upper bounds for the individual steps, in milliseconds. */
export const TIMEOUTS = Object.freeze({
  xvfb: 10_000,
  driver: 10_000,
  request: 30_000, // any single WebDriver HTTP request, including new-session (= app launch)
  session: 40_000, // whole of remote(): new-session request plus webdriverio's setup
  command: 15_000, // default for withTimeout-wrapped steps in specs
  close: 15_000,
});

const SCREEN = '1280x900x24';

/** Resolves or rejects like `promise`, but rejects after `ms` with a message naming `what`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`e2e: ${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

export function appBinary() {
  const bin = process.env.LITIGANT_APP_BIN
    ? path.resolve(process.env.LITIGANT_APP_BIN)
    : path.join(REPO_ROOT, 'target', 'debug', 'litigant-desktop');
  if (!existsSync(bin)) {
    throw new Error(
      `e2e: app binary not found at ${bin}. Build it first (cargo build -p litigant-desktop) ` +
        'or point LITIGANT_APP_BIN at it.',
    );
  }
  return bin;
}

/** A fresh empty directory under the system temp folder. */
export function makeTempDir(prefix = 'litigant-e2e-') {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping. Every child is started in its own process group so that killing the
// group also takes down what it spawned (WebKitWebDriver → app → WebKit helper processes).

const live = new Set(); // pids of process-group leaders we started and have not reaped yet
let current = null; // the running app's state, see launchApp()

function startProcess(command, args, { env, logPath, extraFds = [] }) {
  const logFd = openSync(logPath, 'a');
  const child = spawn(command, args, {
    env,
    detached: true,
    stdio: ['ignore', logFd, logFd, ...extraFds],
  });
  closeSync(logFd);
  // A failed spawn (e.g. binary not installed) emits 'error'; keep it for the caller rather
  // than letting it crash the test process as an unhandled event.
  child.once('error', (err) => {
    child.spawnError = err;
  });
  if (child.pid) {
    live.add(child.pid);
    child.once('exit', () => live.delete(child.pid));
  }
  return child;
}

/** Live (non-zombie) transitive children of `pid`, read from /proc (Linux only). */
function descendants(pid) {
  const byParent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the parenthesised command name come: state ppid ...
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      if (!byParent.has(Number(ppid))) byParent.set(Number(ppid), []);
      byParent.get(Number(ppid)).push(Number(entry));
    } catch {
      // process vanished while scanning
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

async function waitForNoDescendants(pid, ms) {
  const deadline = Date.now() + ms;
  while (descendants(pid).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs the process group and any descendant that left it. Synchronous on purpose. */
function killTree(pid) {
  const tree = descendants(pid);
  signal(-pid, 'SIGKILL');
  for (const p of tree) signal(p, 'SIGKILL');
  live.delete(pid);
}

/** SIGTERM, wait up to `graceMs` for exit, then SIGKILL the whole tree. */
async function stopProcess(child, graceMs = 3_000) {
  if (!child?.pid) return;
  if (child.exitCode !== null || child.signalCode !== null) {
    killTree(child.pid); // whatever it left behind in its group
    return;
  }
  const exited = once(child, 'exit');
  signal(-child.pid, 'SIGTERM');
  await withTimeout(exited, graceMs, `exit of pid ${child.pid}`).catch(() => {});
  killTree(child.pid);
}

// Last resort if a spec forgets closeApp() or the test process exits early.
process.once('exit', () => {
  for (const pid of live) killTree(pid);
  if (current && process.env.LITIGANT_E2E_KEEP !== '1') {
    for (const dir of current.ownedDirs) rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------

async function startXvfb(logPath) {
  // -displayfd makes Xvfb pick a free display number itself and write it to fd 3 once it
  // accepts connections, so there is no race against other X servers on the machine.
  const child = startProcess(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', SCREEN, '-nolisten', 'tcp', '-noreset'],
    { env: process.env, logPath, extraFds: ['pipe'] },
  );
  const display = await withTimeout(
    new Promise((resolve, reject) => {
      let buf = '';
      child.stdio[3].on('data', (chunk) => {
        buf += chunk;
        if (buf.includes('\n')) resolve(`:${buf.trim()}`);
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}; see ${logPath}`)));
    }),
    TIMEOUTS.xvfb,
    'Xvfb start',
  ).catch(async (err) => {
    await stopProcess(child);
    throw err;
  });
  child.stdio[3].destroy();
  return { child, display };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForDriver(child, port, logPath) {
  const deadline = Date.now() + TIMEOUTS.driver;
  while (Date.now() < deadline) {
    if (child.spawnError) throw new Error(`e2e: cannot run WebKitWebDriver: ${child.spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`e2e: WebKitWebDriver exited early (${child.exitCode ?? child.signalCode}); see ${logPath}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`e2e: WebKitWebDriver did not listen on port ${port} within ${TIMEOUTS.driver} ms; see ${logPath}`);
}

async function startDriver(env, logPath) {
  // The port is chosen before the driver binds it, so another process may grab it in
  // between; retry a couple of times with a new port in that case.
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = startProcess('WebKitWebDriver', [`--port=${port}`, '--host=local'], { env, logPath });
    try {
      await waitForDriver(child, port, logPath);
      return { child, port };
    } catch (err) {
      lastError = err;
      await stopProcess(child);
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------------------------------------

/**
 * Starts the app and returns a webdriverio browser attached to its main webview.
 *
 * Options:
 *   dataDir  – the app's data folder (LITIGANT_DATA_DIR). Default: a fresh temp folder,
 *              removed again by closeApp(). A folder passed in is left alone, so a spec can
 *              relaunch on the same data. `null`: no LITIGANT_DATA_DIR, so the app uses the
 *              platform's folders under `home` (XDG_DATA_HOME, XDG_CONFIG_HOME).
 *   home     – the app's HOME, holding XDG_* folders. Default: a fresh temp folder, removed by
 *              closeApp(); one passed in is left alone.
 *   args     – extra command-line arguments for the app.
 *   env      – extra environment variables for the app.
 *   label    – prefix for log file names (default "app").
 */
export async function launchApp({ dataDir, home, args = [], env = {}, label = 'app' } = {}) {
  if (current) throw new Error('e2e: launchApp() called while an app is still running; call closeApp() first');
  const binary = appBinary();
  mkdirSync(LOG_DIR, { recursive: true });
  const stamp = `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const logs = {
    xvfb: path.join(LOG_DIR, `${stamp}-xvfb.log`),
    driver: path.join(LOG_DIR, `${stamp}-driver.log`), // also receives the app's stdout/stderr
  };

  const state = { started: Date.now(), logs, ownedDirs: [], xvfb: null, driver: null, browser: null };
  current = state;
  try {
    if (!home) {
      home = await makeTempDir('litigant-e2e-home-');
      state.ownedDirs.push(home);
    }
    if (dataDir === undefined) {
      dataDir = await makeTempDir('litigant-e2e-data-');
      state.ownedDirs.push(dataDir);
    }
    state.dataDir = dataDir;
    const runtimeDir = path.join(home, 'run');
    mkdirSync(runtimeDir, { mode: 0o700, recursive: true });

    let display = process.env.DISPLAY;
    if (!(display && process.env.LITIGANT_E2E_USE_DISPLAY === '1')) {
      state.xvfb = await startXvfb(logs.xvfb);
      display = state.xvfb.display;
    }
    state.display = display;

    const driverEnv = {
      ...process.env,
      DISPLAY: display,
      // Without this, wry does not enable WebKit automation and new sessions hang.
      TAURI_WEBVIEW_AUTOMATION: 'true',
      LITIGANT_DATA_DIR: dataDir ?? '',
      LITIGANT_LOG: 'info',
      NO_COLOR: '1', // plain-text app logs in the driver log file
      // Keep the webview's own storage/caches and GTK settings away from the real home.
      HOME: home,
      XDG_RUNTIME_DIR: runtimeDir,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      ...env,
    };
    delete driverEnv.WAYLAND_DISPLAY; // force GTK onto the X display above
    state.driver = await startDriver(driverEnv, logs.driver);

    state.browser = await withTimeout(
      remote({
        hostname: '127.0.0.1',
        port: state.driver.port,
        path: '/',
        logLevel: process.env.LITIGANT_E2E_WDIO_LOG ?? 'error',
        connectionRetryTimeout: TIMEOUTS.request,
        connectionRetryCount: 0,
        waitforTimeout: 10_000,
        // No browserName: WebKitWebDriver only knows the browser's name once the binary runs,
        // and without it webdriverio does not ask for a BiDi session either.
        capabilities: {
          'webkitgtk:browserOptions': { binary, args },
          // WebKit's defaults (script 30 s, page load 300 s) exceed our request timeout.
          timeouts: { script: 15_000, pageLoad: 20_000, implicit: 0 },
        },
      }),
      TIMEOUTS.session,
      'WebDriver session creation (app launch)',
    );
    state.launchMs = Date.now() - state.started;
    return state.browser;
  } catch (err) {
    await closeApp();
    if (state.driver && !state.browser) {
      err.message +=
        '\n  A new-session request that hangs usually means the app never enabled WebKit automation ' +
        '(TAURI_WEBVIEW_AUTOMATION=true must reach it) or could not open its window.';
    }
    err.message += `\n  driver/app log: ${logs.driver}`;
    if (state.xvfb) err.message += `\n  Xvfb log: ${logs.xvfb}`;
    throw err;
  }
}

/** Details of the running app: dataDir, display, logs, launchMs (time to a usable session). */
export function appInfo() {
  if (!current) return null;
  const { dataDir, display, logs, launchMs } = current;
  return { dataDir, display, logs, launchMs, driverPid: current.driver?.child.pid };
}

/** Ends the session and stops the app, WebKitWebDriver and Xvfb. Safe to call at any time. */
export async function closeApp() {
  const state = current;
  if (!state) return;
  current = null;
  if (state.browser) {
    // Deleting the session makes WebKitWebDriver close the app; whatever survives is killed below.
    const deleted = await withTimeout(state.browser.deleteSession(), TIMEOUTS.close, 'WebDriver session delete')
      .then(() => true, () => false);
    // Let the driver see the app exit and reap it; killing the driver first would leave the
    // app's processes to init (and as zombies in containers whose init reaps lazily).
    if (deleted && state.driver) await waitForNoDescendants(state.driver.child.pid, 5_000);
  }
  await stopProcess(state.driver?.child);
  await stopProcess(state.xvfb?.child);
  if (process.env.LITIGANT_E2E_KEEP !== '1') {
    for (const dir of state.ownedDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Saves a PNG of the app window to target/e2e/screenshots/<name>.png and returns its path. */
export async function screenshot(browser, name) {
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // WebKit snapshots the last painted frame; right after a DOM change that can still be the
  // previous (even blank) one. Two animation frames make sure the change has been painted.
  await withTimeout(
    browser.execute(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))),
    5_000,
    'wait for paint',
  ).catch(() => {}); // best effort: a screenshot for diagnosis is still worth taking
  const base64 = await withTimeout(browser.takeScreenshot(), TIMEOUTS.command, `screenshot ${name}`);
  await writeFile(file, Buffer.from(base64, 'base64'));
  return file;
}

/**
 * For `afterEach`: when the test failed and an app is running, saves a screenshot named
 * `failed-<test name>` and points at the logs.
 */
export async function screenshotOnFailure(t) {
  if (t.passed || !current?.browser) return;
  try {
    const file = await screenshot(current.browser, `failed-${t.name}`);
    t.diagnostic(`screenshot: ${file}`);
  } catch (err) {
    t.diagnostic(`no failure screenshot: ${err.message}`);
  }
  t.diagnostic(`driver/app log: ${current.logs.driver}`);
}
