// Driving the demo court from e2e specs as its clerk would (serve, open windows, inject faults),
// and signing in to it through the Account screen. The clerk's token is the one the demo court
// keeps in its folder inside the app's data folder.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withTimeout } from './app.mjs';
import { byTestId, click, onScreen, shown, textOf } from './page.mjs';

/** A call to the demo court with the clerk's token; the parsed answer, or an error with its body. */
export async function clerk(dataDir, url, method, route, body) {
  const token = (await readFile(path.join(dataDir, 'demo-court', 'clerk-token'), 'utf8')).trim();
  const response = await withTimeout(
    fetch(`${url}/api/v1${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    10_000,
    `${method} ${route}`,
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`e2e: ${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The demo court's address, once the header's badge says it is connected. */
export async function demoCourtUrl(browser) {
  const badge = await browser.$(byTestId('court-badge'));
  await browser.waitUntil(async () => (await badge.getAttribute('data-state')) === 'connected', { timeout: 20_000 });
  return textOf(browser, byTestId('court-url'));
}

/**
 * Logs `mobile` in on the Account screen with a session that keeps nothing (the specs run
 * without a keychain, so the app offers that after the keychain fails).
 */
export async function signIn(browser, dataDir, url, mobile) {
  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  await (await browser.$('#account-mobile')).setValue(mobile);
  await click(browser, byTestId('account-send-code'));
  await shown(browser, byTestId('account-code-sent'));
  const outbox = await clerk(dataDir, url, 'GET', '/sim/sms-outbox');
  await (await browser.$('#account-code')).setValue(outbox.items[0].code);
  await click(browser, byTestId('account-log-in'));
  await shown(browser, byTestId('account-log-in-without-keeping'));
  await click(browser, byTestId('account-log-in-without-keeping'));
  await shown(browser, byTestId('account-card'));
}
