// First start, by keyboard alone: who uses the computer, which court, then the home screen.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import {
  KEY,
  byTestId,
  documentState,
  focused,
  onScreen,
  press,
  shown,
  tabTo,
  textOf,
  accessibilityViolations,
} from './support/page.mjs';

let dataDir;
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('a first start is completed with the keyboard alone', { timeout: 180_000 }, async () => {
  dataDir = await makeTempDir('litigant-e2e-first-');
  const browser = await launchApp({ dataDir, label: 'first-start' });

  await onScreen(browser, 'welcome');
  const state = await documentState(browser);
  assert.equal(state.lang, 'zh-CN', 'Chinese is the default language');
  assert.match(state.title, /在线诉讼助手/);
  assert.equal(await focused(browser), 'welcome-heading', 'focus starts at the heading');
  assert.match(await textOf(browser, byTestId('court-badge')), /演示法院/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'welcome-step1-zh-CN');

  // Pressing Next with no answer says what is missing instead of doing nothing.
  await tabTo(browser, 'welcome-next');
  await press(browser, KEY.Enter);
  assert.match(await textOf(browser, byTestId('welcome-choose-first')), /请先选择/);

  // Into the radio group, down one to "lawyer", then Next.
  await tabTo(browser, 'input[use-mode=personal]');
  await press(browser, KEY.ArrowDown);
  assert.equal(await focused(browser), 'input[use-mode=lawyer]');
  await tabTo(browser, 'welcome-next');
  await press(browser, KEY.Enter);
  assert.match(await textOf(browser, byTestId('welcome-step')), /第 2 步/);

  // An insecure platform address is refused with a translated message tied to the field.
  await tabTo(browser, 'input[platform=demo]');
  await press(browser, KEY.ArrowDown);
  await tabTo(browser, 'platform-url');
  // Element typing: WebDriver's global key actions drop ':' and doubled letters under Xvfb.
  await (await browser.$('#platform-url')).setValue('http://court.example.cn');
  await press(browser, KEY.Enter);
  const alert = await shown(browser, '#platform-error');
  assert.equal(await alert.getAttribute('data-code'), 'settings.platform_url_insecure');
  assert.match(await alert.getText(), /必须以 https:\/\/ 开头/);
  assert.equal(await (await browser.$('#platform-url')).getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'welcome-step2-refused-zh-CN');

  // Back to the demo court, and start.
  await tabTo(browser, 'input[platform=remote]');
  await press(browser, KEY.ArrowUp);
  await tabTo(browser, 'platform-save');
  await press(browser, KEY.Enter);

  await onScreen(browser, 'home');
  assert.equal(await focused(browser), 'home-heading');
  // The demo court started with the app, in the background.
  await browser.waitUntil(
    async () => (await textOf(browser, byTestId('court-badge'))) === '演示法院 · 已连接',
    { timeout: 20_000, timeoutMsg: 'the badge does not say the demo court is connected' },
  );
  assert.equal(await (await browser.$(byTestId('court-reason'))).isExisting(), false);
  assert.match(await textOf(browser, byTestId('court-url')), /^http:\/\/127\.0\.0\.1:\d+$/);
  await screenshot(browser, 'home-zh-CN');

  const saved = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'));
  assert.equal(saved.useMode, 'lawyer');
  assert.deepEqual(saved.platform, { kind: 'demo' });
});
