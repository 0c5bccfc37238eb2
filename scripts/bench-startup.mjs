// Startup benchmark (issue 9): how long the app takes, after a warm start, from being launched
// to an interactive first screen, and how much memory its processes hold once it is up.
//
//   node scripts/bench-startup.mjs                       # the debug build, 1 warm-up + 7 runs
//   LITIGANT_APP_BIN=target/release/litigant-desktop RUNS=10 node scripts/bench-startup.mjs
//
// One Xvfb serves every run. Each run starts WebKitWebDriver, which launches the app; the clock
// starts just before the driver is started and stops when the page has loaded and the home
// screen's heading and navigation buttons are on screen (the moment a person can act: Svelte
// attaches the handlers as it renders). The span therefore also holds
// the driver's own start and the WebDriver session set-up: an upper bound on the app's start.
// RSS is the sum over the app and every process under it (WebKit's web and network
// processes), read from /proc two seconds after the screen appeared, with the demo court up.
//
// Results: target/bench-startup/results.md.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { appBinary, appInfo, closeApp, launchApp, OUT_DIR, REPO_ROOT } from '../tests/e2e/support/app.mjs';
import { onScreen } from '../tests/e2e/support/page.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const OUT = path.join(OUT_DIR, '..', 'bench-startup');

/** Every process whose parent chain reaches `root`, with its RSS in KiB. */
function descendants(root) {
  const parent = new Map();
  const rss = new Map();
  const name = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      name.set(Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      rss.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = [];
  for (const pid of parent.keys()) {
    for (let up = parent.get(pid); up; up = parent.get(up)) {
      if (up === root) {
        found.push({ pid, name: name.get(pid), rssKib: rss.get(pid) });
        break;
      }
    }
  }
  return found;
}

async function startXvfb() {
  for (let n = 150; n < 200; n += 1) {
    const child = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const exited = await new Promise((done) => {
      child.once('exit', () => done(true));
      setTimeout(() => done(false), 700);
    });
    if (!exited) return { child, display: `:${n}` };
  }
  throw new Error('no free X display for Xvfb');
}

async function run(dataDir) {
  const started = performance.now();
  const browser = await launchApp({ dataDir, label: 'bench-startup' });
  await onScreen(browser, 'home');
  await browser.waitUntil(
    () =>
      browser.execute(
        () =>
          document.readyState === 'complete' &&
          document.querySelector('main[data-screen="home"] h1') !== null &&
          document.querySelector('nav button') !== null,
      ),
    { timeout: 20_000, interval: 20 },
  );
  const ms = performance.now() - started;
  await new Promise((done) => setTimeout(done, 2000));
  const processes = descendants(appInfo().driverPid).filter((p) => p.name !== 'WebKitWebDriver');
  await closeApp();
  return { ms, processes };
}

const xvfb = await startXvfb();
process.env.DISPLAY = xvfb.display;
process.env.LITIGANT_E2E_USE_DISPLAY = '1';
mkdirSync(OUT, { recursive: true });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'litigant-bench-startup-'));
await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
const results = [];
try {
  await run(dataDir); // warm-up: caches, the demo court's database created
  for (let i = 0; i < RUNS; i += 1) results.push(await run(dataDir));
} finally {
  await closeApp();
  xvfb.child.kill();
  await rm(dataDir, { recursive: true, force: true });
}

const times = results.map((r) => r.ms).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const rss = results.map((r) => r.processes.reduce((sum, p) => sum + p.rssKib, 0) / 1024);
const last = results.at(-1).processes;
const lines = [
  `# Startup: launch to interactive first screen`,
  '',
  `${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, binary \`${path.relative(REPO_ROOT, appBinary())}\`, ${RUNS} warm runs after one warm-up.`,
  '',
  `| | min | median | max |`,
  `|---|---|---|---|`,
  `| launch → home screen interactive (ms) | ${times[0].toFixed(0)} | ${median.toFixed(0)} | ${times.at(-1).toFixed(0)} |`,
  `| total RSS of the app's processes (MiB) | ${Math.min(...rss).toFixed(0)} | ${rss.sort((a, b) => a - b)[Math.floor(rss.length / 2)].toFixed(0)} | ${Math.max(...rss).toFixed(0)} |`,
  '',
  `Processes in the last run: ${last.map((p) => `${p.name} ${(p.rssKib / 1024).toFixed(0)} MiB`).join(', ')}.`,
];
writeFileSync(path.join(OUT, 'results.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
