// Online filing on the demo court (Art. 9, 11): a new filing whose check finds problems, each
// shown on its field in plain words (a missing claim, an unnamed defendant, a file that is not a
// PDF) and fixed from the list; the parties step done with the keyboard alone; the fixed filing
// submitted while the court cuts the connection on the filing's POST, and still filed exactly
// once; the clerk asks for corrections and the screen shows them with their due time; the demo
// filing waiting for corrections supplemented. The contract is a PDF made from a corpus scan by
// `litigant convert` (target/debug/litigant, built with `cargo build -p litigant-cli`). axe on
// each state; zh-CN and en screenshots.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { REPO_ROOT, appInfo, closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { clerk, demoCourtUrl, signIn } from './support/demo-court.mjs';
import { KEY, accessibilityViolations, byTestId, click, focused, onScreen, press, shown, tabTo, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'corpus');
const CORPUS_PDF = path.join(CORPUS, 'pdf_book_page_150dpi_jpeg.pdf');
const LITIGANT = path.join(REPO_ROOT, 'target', 'debug', 'litigant');

/** A PDF made from a corpus scan with the command line, as a person would before filing. */
async function convertScan(image, output) {
  assert.ok(existsSync(LITIGANT), `${LITIGANT} is missing: build it with cargo build -p litigant-cli`);
  await promisify(execFile)(LITIGANT, ['convert', '--output', output, path.join(CORPUS, image)], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    timeout: 60_000,
  });
}

async function setValue(browser, selector, value) {
  await (await browser.$(selector)).setValue(value);
}

/** Problems listed by the check, as `field code` lines. */
const problemList = (browser) =>
  browser.execute(() =>
    [...document.querySelectorAll('[data-testid="filing-problems"] li')].map((li) => `${li.dataset.field} ${li.dataset.code}`),
  );

async function toCheckStep(browser) {
  for (let i = 0; i < 6; i++) {
    if (await browser.$(byTestId('filing-step-check')).isExisting()) return;
    await click(browser, byTestId('filing-next'));
  }
  await shown(browser, byTestId('filing-step-check'));
}

async function fixFromList(browser, field) {
  await click(browser, `[data-testid="filing-problems"] li[data-field="${field}"] button`);
}

test('a filing checked, fixed, submitted once through a cut, corrected by the clerk; the demo filing supplemented', { timeout: 300_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-filing-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const notPdf = path.join(dataDir, 'contract.txt');
  await writeFile(notPdf, '这不是 PDF 文件');
  const contract = path.join(dataDir, 'contract.pdf');
  await convertScan('scan_linn_300dpi_2col.png', contract);
  const identity = path.join(dataDir, 'identity.pdf');
  await copyFile(CORPUS_PDF, identity);
  const browser = await launchApp({ dataDir, label: 'filing', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);
  await signIn(browser, dataDir, url, '13800138000');

  // From the dashboard's correction deadline to the list, where the demo filing waits for
  // corrections, not yet overdue.
  await click(browser, byTestId('nav-cases'));
  await onScreen(browser, 'cases');
  await shown(browser, byTestId('deadline-filing-fil_demo_sales'));
  await click(browser, byTestId('deadline-filing-fil_demo_sales'));
  await onScreen(browser, 'filings');
  await shown(browser, '[data-filing="fil_demo_sales"]');
  const demo = await browser.$('[data-filing="fil_demo_sales"]');
  assert.equal(await demo.getAttribute('data-status'), 'correction_requested');
  assert.equal(await demo.getAttribute('data-overdue'), 'false');
  assert.match(await demo.getText(), /需要补正/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filings-zh-CN');

  // Step 1, parties, with the keyboard alone: the defendant's name is left empty on purpose.
  await click(browser, byTestId('filing-new'));
  await onScreen(browser, 'new-filing');
  await shown(browser, byTestId('filing-step-parties'));
  await tabTo(browser, 'filing-party-0-name', 40);
  await setValue(browser, '#filing-party-0-name', '张三');
  await tabTo(browser, 'filing-next', 40);
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('filing-step-claims'));
  assert.equal(await focused(browser), 'filing-step-heading');
  assert.deepEqual(await accessibilityViolations(browser), []);

  const title = `买卖合同纠纷 ${Date.now()}`;
  await setValue(browser, '#filing-title', title);
  await click(browser, byTestId('filing-next'));
  await shown(browser, byTestId('filing-step-facts'));
  await setValue(browser, '#filing-facts', '原告向被告供货，被告至今未付货款 10000 元。');
  await click(browser, byTestId('filing-next'));
  await shown(browser, byTestId('filing-step-materials'));
  await click(browser, byTestId('filing-material-add'));
  await setValue(browser, '#filing-material-0', notPdf);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-materials-zh-CN');
  await click(browser, byTestId('filing-next'));
  await shown(browser, byTestId('filing-step-evidence'));
  await click(browser, byTestId('filing-evidence-add'));
  await setValue(browser, '#filing-evidence-0-name', '买卖合同');
  await setValue(browser, '#filing-evidence-0-purpose', '证明双方的买卖关系');
  await click(browser, byTestId('filing-next'));
  await shown(browser, byTestId('filing-step-check'));

  // The check finds each problem, on its field, in plain Chinese.
  await click(browser, byTestId('filing-check'));
  await shown(browser, byTestId('filing-problems'));
  const found = await problemList(browser);
  for (const expected of ['/claims claims', '/parties/1/name party_name', '/materials/0 material_type']) {
    assert.ok(found.includes(expected), `${expected} not in ${found}`);
  }
  const listed = await textOf(browser, byTestId('filing-problems'));
  assert.match(listed, /请至少写一项诉讼请求/);
  assert.match(listed, /不是法院接受的 PDF/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-check-problems-zh-CN');

  // Each "fix" goes to its step with the field focused, marked and explained.
  await fixFromList(browser, '/claims');
  await shown(browser, byTestId('filing-step-claims'));
  assert.equal(await focused(browser), 'filing-claim-0');
  assert.equal(await (await browser.$('#filing-claim-0')).getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await setValue(browser, '#filing-claim-0', '判令被告支付货款 10000 元');
  await toCheckStep(browser);
  await fixFromList(browser, '/parties/1/name');
  await shown(browser, byTestId('filing-step-parties'));
  assert.equal(await focused(browser), 'filing-party-1-name');
  await setValue(browser, '#filing-party-1-name', '某某商贸有限公司');
  await toCheckStep(browser);
  await fixFromList(browser, '/materials/0');
  assert.equal(await focused(browser), 'filing-material-0');
  assert.match(await textOf(browser, byTestId('filing-step-materials')), /litigant convert/);
  await setValue(browser, '#filing-material-0', contract);
  await toCheckStep(browser);
  await click(browser, byTestId('filing-check'));
  await browser.waitUntil(async () => (await (await browser.$(byTestId('filing-check-result'))).getAttribute('data-acceptable')) === 'true');

  // The court cuts the connection on the filing's POST (the second POST under /filings: the
  // submission's own check passes first); the retry with the same key makes one filing.
  await clerk(dataDir, url, 'PUT', '/clerk/faults', {
    latencyMs: 0,
    rules: [{ method: 'POST', pathPrefix: '/api/v1/filings', fault: { kind: 'cut_connection', afterBytes: 0 }, every: 2, times: 1 }],
  });
  await click(browser, byTestId('filing-submit'));
  await shown(browser, byTestId('filing-filed'));
  await clerk(dataDir, url, 'PUT', '/clerk/faults', { latencyMs: 0, rules: [] });
  const filingId = await (await browser.$(byTestId('filing-filed'))).getAttribute('data-filing');
  // The cut did happen, on the filing itself (not its check).
  assert.match(await readFile(appInfo().logs.driver, 'utf8'), /cutting the connection path=\/api\/v1\/filings after_bytes/);
  const waiting = (await clerk(dataDir, url, 'GET', '/clerk/filings')).items.filter((f) => f.draft.title === title);
  assert.equal(waiting.length, 1, 'exactly one filing');
  assert.equal(waiting[0].id, filingId);
  // The structured complaint, the contract and the evidence catalogue.
  assert.deepEqual(waiting[0].draft.documents.map((d) => d.documentType).sort(), ['complaint', 'evidence', 'evidence_catalogue']);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-submitted-zh-CN');

  // The clerk asks for corrections; the screen shows them with the due time.
  const dueAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
  await clerk(dataDir, url, 'POST', `/clerk/filings/${filingId}/review`, {
    decision: 'request_corrections',
    deficiencies: [{ description: '请补充被告的统一社会信用代码。', documentId: null }],
    dueAt,
  });
  await click(browser, byTestId('filing-to-list'));
  await onScreen(browser, 'filings');
  await shown(browser, byTestId(`filing-open-${filingId}`));
  await click(browser, byTestId(`filing-open-${filingId}`));
  await shown(browser, `[data-testid="filing-detail"][data-status="correction_requested"]`);
  assert.match(await textOf(browser, byTestId('filing-deficiencies')), /统一社会信用代码/);
  assert.match(await textOf(browser, byTestId('filing-due')), /之前补正/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-corrections-zh-CN');

  // The demo filing: an empty supplement is refused on its field, then one is sent.
  await click(browser, byTestId('filing-open-fil_demo_sales'));
  await shown(browser, byTestId('supplement-form'));
  await browser.waitUntil(async () => (await textOf(browser, '#filing-detail-heading')) !== title);
  await click(browser, byTestId('supplement-send'));
  await shown(browser, '#supplement-note-problem');
  assert.equal(await focused(browser), 'supplement-note');
  assert.match(await textOf(browser, '#supplement-note-problem'), /请写明补正了什么/);
  await setValue(browser, '#supplement-note', '补充原告身份证明');
  await click(browser, byTestId('supplement-material-add'));
  await setValue(browser, '#supplement-material-0', identity);
  await click(browser, byTestId('supplement-send'));
  await shown(browser, byTestId('filing-supplements'));
  assert.match(await textOf(browser, byTestId('filing-supplements')), /补充原告身份证明/);
  const after = await clerk(dataDir, url, 'GET', '/clerk/filings');
  const supplemented = after.items.find((f) => f.id === 'fil_demo_sales');
  assert.equal(supplemented.supplements.length, 1);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-supplemented-zh-CN');

  // The same in English.
  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => /Supplements sent/.test(await textOf(browser, byTestId('filing-detail'))));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-supplemented-en');
  await click(browser, byTestId('filing-open-' + filingId));
  await browser.waitUntil(async () => /Correct by/.test(await textOf(browser, byTestId('filing-detail'))));
  await screenshot(browser, 'filing-corrections-en');
  await click(browser, byTestId('filing-new'));
  await onScreen(browser, 'new-filing');
  await toCheckStep(browser);
  await click(browser, byTestId('filing-check'));
  await shown(browser, byTestId('filing-problems'));
  assert.match(await textOf(browser, byTestId('filing-problems')), /State at least one claim/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-check-problems-en');

  // Elder mode: the same step, large text and targets, still without violations.
  await click(browser, byTestId('toggle-elder'));
  await browser.waitUntil(() => browser.execute(() => document.documentElement.classList.contains('elder')));
  await fixFromList(browser, '/claims');
  await shown(browser, byTestId('filing-step-claims'));
  assert.equal(await focused(browser), 'filing-claim-0');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'filing-claims-elder-en');
});
