// The service inbox on the demo court: a served document opened (the court gets the read
// receipt), receipt confirmed, the certificate shown, a copy saved where the person says and
// checked against the court's hash; an existing file is never replaced; a network cut is
// explained and the inbox comes back once the network does. Chinese, English, elder mode.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { clerk, demoCourtUrl, signIn } from './support/demo-court.mjs';
import { accessibilityViolations, byTestId, click, documentState, enhancedContrastViolations, onScreen, shown, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const served = (rest = '') => `${byTestId('served-srv_demo_notice')} ${rest}`.trim();

test('open, confirm, certificate and a hash-checked copy; a network cut is explained', { timeout: 240_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-inbox-');
  const saveDir = await makeTempDir('litigant-e2e-inbox-save-');
  dirs.push(dataDir, saveDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const browser = await launchApp({ dataDir, label: 'inbox', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);
  await signIn(browser, dataDir, url, '13800138000');

  await click(browser, byTestId('nav-inbox'));
  await onScreen(browser, 'inbox');
  await shown(browser, served());
  assert.match(await textOf(browser, served('[data-testid="served-opened"]')), /尚未阅读/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'inbox-zh-CN');

  await click(browser, served('[data-testid="served-open"]'));
  await browser.waitUntil(async () => /阅读时间/.test(await textOf(browser, served('[data-testid="served-opened"]'))), {
    timeout: 15_000,
    timeoutMsg: 'the read receipt was not recorded',
  });
  await click(browser, served('[data-testid="served-confirm"]'));
  await browser.waitUntil(async () => /确认收到时间/.test(await textOf(browser, served('[data-testid="served-confirmed"]'))), {
    timeout: 15_000,
  });
  await click(browser, served('[data-testid="served-certificate"]'));
  const certificate = await textOf(browser, served('[data-testid="served-certificate-view"]'));
  assert.match(certificate, /送达回证/);
  assert.match(certificate, /王小明/);

  // The receipt is signed electronically (the key is made and registered on first use).
  await click(browser, served('[data-testid="served-sign"]'));
  await browser.waitUntil(async () => /法院已核验签名/.test(await textOf(browser, served('[data-testid="served-signed"]'))), {
    timeout: 20_000,
    timeoutMsg: 'the receipt was not signed',
  });

  // A file that exists is left alone, and the person is told to pick another name.
  const existing = path.join(saveDir, 'mine.pdf');
  await writeFile(existing, 'my own file');
  const pathField = await browser.$(served('[data-testid="served-save-path"]'));
  await pathField.setValue(existing);
  await click(browser, served('[data-testid="served-save"]'));
  await shown(browser, '#served-srv_demo_notice-error');
  assert.equal(await (await browser.$('#served-srv_demo_notice-error')).getAttribute('data-code'), 'service.target_exists');
  assert.match(await textOf(browser, '#served-srv_demo_notice-error'), /已经存在，没有改动它/);
  assert.equal(await readFile(existing, 'utf8'), 'my own file');

  const target = path.join(saveDir, '开庭通知书.pdf');
  await pathField.setValue(target);
  await click(browser, served('[data-testid="served-save"]'));
  await shown(browser, served('[data-testid="served-saved"]'));
  const bytes = await readFile(target);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  assert.ok(bytes.subarray(0, 5).equals(Buffer.from('%PDF-')));
  assert.match(await textOf(browser, served('[data-testid="served-saved"]')), new RegExp(sha256));
  assert.match(await textOf(browser, served('dl.facts')), new RegExp(sha256), 'the saved copy hashes to the served hash');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'inbox-saved-zh-CN');

  // The network to the inbox is cut: the person reads what happened and what to do.
  await clerk(dataDir, url, 'PUT', '/clerk/faults', {
    latencyMs: 0,
    rules: [{ method: 'GET', pathPrefix: '/api/v1/service', fault: { kind: 'cut_connection', afterBytes: 0 }, every: 1 }],
  });
  await click(browser, byTestId('inbox-refresh'));
  await shown(browser, '#inbox-error');
  await browser.waitUntil(async () => (await (await browser.$('#inbox-error')).getAttribute('data-code')) === 'court_client.unreachable', {
    timeout: 60_000,
  });
  assert.match(await textOf(browser, '#inbox-error'), /无法连接诉讼平台，请检查网络后重试/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'inbox-network-cut-zh-CN');
  await clerk(dataDir, url, 'PUT', '/clerk/faults', { latencyMs: 0, rules: [] });
  await click(browser, byTestId('inbox-refresh'));
  await browser.waitUntil(async () => (await browser.$$('#inbox-error')).length === 0, { timeout: 30_000 });
  await shown(browser, served());

  // English and elder mode.
  await click(browser, byTestId('toggle-language'));
  await click(browser, byTestId('toggle-elder'));
  await browser.waitUntil(async () => (await documentState(browser)).elder, { timeout: 10_000 });
  assert.match(await textOf(browser, served('[data-testid="served-confirmed"]')), /Receipt confirmed/);
  const state = await documentState(browser);
  assert.ok(state.fontSizePx >= 18, `elder text is ${state.fontSizePx}px`);
  assert.ok(state.smallestTargetPx >= 60, `the smallest target is ${state.smallestTargetPx}px`);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'inbox-elder-en');
  await click(browser, byTestId('toggle-contrast'));
  await browser.waitUntil(async () => (await documentState(browser)).contrast, { timeout: 10_000 });
  assert.deepEqual(await enhancedContrastViolations(browser), []);
  await screenshot(browser, 'inbox-elder-contrast-en');
});
