// The embedded demo court: the real app starts a court-sim on loopback, says so on screen, and
// a real server answers at the address it shows. When it cannot start, the app says why.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure, withTimeout } from './support/app.mjs';
import {
  accessibilityViolations,
  byTestId,
  click,
  documentState,
  onScreen,
  textOf,
} from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A data folder whose first start is done, so the app opens at home. */
async function startedDataDir(prefix) {
  const dir = await makeTempDir(prefix);
  dirs.push(dir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  return dir;
}

/** Waits until the header's badge has the court's answer, and returns its state. */
async function courtSettled(browser) {
  const badge = await browser.$(byTestId('court-badge'));
  await browser.waitUntil(async () => (await badge.getAttribute('data-state')) !== 'connecting', {
    timeout: 20_000,
    timeoutMsg: 'the court badge still says "connecting" after 20 s',
  });
  return badge.getAttribute('data-state');
}

test('the demo court starts with the app and a real server answers at the address shown', { timeout: 180_000 }, async () => {
  const dataDir = await startedDataDir('litigant-e2e-demo-');
  const browser = await launchApp({ dataDir, label: 'demo-court' });
  await onScreen(browser, 'home');
  assert.equal(await courtSettled(browser), 'connected');
  assert.equal(await textOf(browser, byTestId('court-badge')), '演示法院 · 已连接');
  assert.equal(await textOf(browser, byTestId('court-state')), '已连接');
  const card = await textOf(browser, byTestId('court-card'));
  assert.match(card, /演示法院不是真实法院/);
  assert.match(card, /演示法院地址/);

  const url = await textOf(browser, byTestId('court-url'));
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await withTimeout(fetch(`${url}/api/v1/policy`), 10_000, 'GET policy');
  assert.equal(response.status, 200);
  const policy = await response.json();
  assert.equal(policy.courtName, '演示法院 (Demo court)');
  assert.equal(policy.demo, true);
  // Its data is inside the app's data folder.
  assert.ok((await readFile(path.join(dataDir, 'demo-court', 'clerk-token'), 'utf8')).length > 0);

  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'home-demo-court-zh-CN');

  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => (await documentState(browser)).lang === 'en', { timeout: 10_000 });
  assert.equal(await textOf(browser, byTestId('court-badge')), 'Demo court · connected');
  assert.match(await textOf(browser, byTestId('court-card')), /Demo court address/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'home-demo-court-en');
  // (Stopping it cleanly on exit is tested on the mock runtime: WebKitWebDriver ends the app
  // by killing it, which no exit handler sees.)
  await closeApp();
});

test('a demo court that cannot start is explained and the app still opens', { timeout: 180_000 }, async () => {
  const dataDir = await startedDataDir('litigant-e2e-demo-blocked-');
  const blocker = path.join(dataDir, 'demo-court');
  await writeFile(blocker, 'a file where the demo court folder should be');
  const browser = await launchApp({ dataDir, label: 'demo-court-blocked' });
  await onScreen(browser, 'home');
  assert.equal(await courtSettled(browser), 'notConnected');
  assert.match(await textOf(browser, byTestId('court-badge')), /未连接法院/);
  const reason = await textOf(browser, byTestId('court-reason'));
  assert.match(reason, /演示法院没能启动，所以目前没有连接任何法院/);
  assert.ok(reason.includes(blocker), reason);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'home-demo-court-failed-zh-CN');

  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => (await documentState(browser)).lang === 'en', { timeout: 10_000 });
  assert.match(await textOf(browser, byTestId('court-reason')), /The demo court could not start/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'home-demo-court-failed-en');
  assert.equal(await readFile(blocker, 'utf8'), 'a file where the demo court folder should be');
});
