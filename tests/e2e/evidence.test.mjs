// Evidence exchange on the demo court: the plaintiff sees the defendant's evidence, downloaded
// and identical to the court's record; disputing without a reason is refused in plain words
// before anything is kept; the opinion is kept as a draft on this computer; submitting without
// a recent identity check is refused by the court and the draft survives. axe on each state.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { clerk, demoCourtUrl, signIn } from './support/demo-court.mjs';
import { accessibilityViolations, byTestId, click, onScreen, shown, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('the other side evidence, an opinion kept as a draft, and a refused submission', { timeout: 240_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-evidence-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const browser = await launchApp({ dataDir, label: 'evidence', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);
  await signIn(browser, dataDir, url, '13800138000');

  await click(browser, byTestId('nav-cases'));
  await onScreen(browser, 'cases');
  await shown(browser, byTestId('evidence-case_demo_loan'));
  await click(browser, byTestId('evidence-case_demo_loan'));
  await onScreen(browser, 'evidence');
  const item = byTestId('evidence-evi_demo_transfer');
  await shown(browser, item);
  // Only the other side's evidence is listed; the plaintiff's own IOU is not.
  assert.equal(await browser.$(byTestId('evidence-evi_demo_iou')).isExisting(), false);
  assert.equal(await (await browser.$(byTestId('evi_demo_transfer-intact'))).getAttribute('data-intact'), 'true');
  assert.equal(await (await browser.$(byTestId('evi_demo_transfer-proof'))).getAttribute('data-state'), 'none');
  assert.equal(await (await browser.$(byTestId('evidence-window')).$('p')).getAttribute('data-open'), 'true');
  // The download is in the data folder and recorded in the case file.
  assert.ok(existsSync(path.join(dataDir, 'received', 'case_demo_loan', 'evi_demo_transfer.pdf')));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'evidence-zh-CN');

  // Disputing relevance without a reason is refused here, naming the aspect.
  await click(browser, '#evi_demo_transfer-authenticity-admit');
  await click(browser, '#evi_demo_transfer-legality-admit');
  await click(browser, '#evi_demo_transfer-relevance-dispute');
  await click(browser, byTestId('evi_demo_transfer-save'));
  await shown(browser, '#evi_demo_transfer-error');
  assert.match(await textOf(browser, '#evi_demo_transfer-error'), /请填写不认可的理由：关联性/);
  const draft = path.join(dataDir, 'opinions', 'case_demo_loan', 'drafts', 'evi_demo_transfer.json');
  assert.equal(existsSync(draft), false, 'nothing kept before the form is complete');
  assert.deepEqual(await accessibilityViolations(browser), []);

  await (await browser.$('#evi_demo_transfer-relevance-reason')).setValue('这笔转账与本案借款无关');
  await click(browser, byTestId('evi_demo_transfer-save'));
  await shown(browser, byTestId('evi_demo_transfer-draft'));
  const kept = JSON.parse(await readFile(draft, 'utf8'));
  assert.equal(kept.opinion.relevance.stance, 'dispute');
  assert.equal(kept.opinion.relevance.reason, '这笔转账与本案借款无关');
  await screenshot(browser, 'evidence-draft-zh-CN');

  // The plaintiff has not re-verified: the court refuses, and the draft stays.
  await click(browser, byTestId('evidence-submit'));
  await shown(browser, '#evidence-submit-error');
  assert.equal(await (await browser.$('#evidence-submit-error')).getAttribute('data-code'), 'platform.reverification_required');
  assert.match(await textOf(browser, '#evidence-submit-error'), /再次核验身份/);
  assert.ok(existsSync(draft), 'the draft survives a refusal');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'evidence-refused-zh-CN');

  // Verify again, come back, and the draft goes.
  await click(browser, byTestId('evidence-reverify'));
  await onScreen(browser, 'reverify');
  await (await browser.$('#reverify-mobile')).setValue('13800138000');
  await click(browser, byTestId('reverify-send-code'));
  await shown(browser, byTestId('reverify-code-sent'));
  const outbox = await clerk(dataDir, url, 'GET', '/sim/sms-outbox');
  await (await browser.$('#reverify-code')).setValue(outbox.items.find((m) => m.purpose === 'reverify').code);
  await click(browser, byTestId('reverify-submit'));
  await browser.waitUntil(async () => (await (await browser.$(byTestId('assurance'))).getAttribute('data-needed')) === 'false', { timeout: 20_000 });
  await click(browser, byTestId('nav-cases'));
  await onScreen(browser, 'cases');
  await click(browser, byTestId('evidence-case_demo_loan'));
  await onScreen(browser, 'evidence');
  await shown(browser, byTestId('evidence-submit'));
  await click(browser, byTestId('evidence-submit'));
  await shown(browser, byTestId('evi_demo_transfer-submitted'));
  assert.match(await textOf(browser, byTestId('evidence-submitted-count')), /已提交 1 份质证意见/);
  assert.equal(existsSync(draft), false, 'a submitted opinion is no longer a draft');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'evidence-submitted-zh-CN');
});
