import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import {
  appInfo,
  closeApp,
  launchApp,
  screenshot,
  screenshotOnFailure,
  TIMEOUTS,
  withTimeout,
} from './support/app.mjs';

afterEach(screenshotOnFailure);
after(closeApp);

test('the app starts and renders its main view', { timeout: 120_000 }, async (t) => {
  const browser = await launchApp({ label: 'smoke' });
  t.diagnostic(`launch took ${appInfo().launchMs} ms`);

  const main = await browser.$('main');
  await withTimeout(main.waitForExist({ timeout: 20_000 }), 25_000, 'wait for <main>');

  const title = await withTimeout(browser.getTitle(), TIMEOUTS.command, 'getTitle');
  assert.ok(title.trim().length > 0, 'document title is empty');

  await screenshot(browser, 'smoke-start');
});
