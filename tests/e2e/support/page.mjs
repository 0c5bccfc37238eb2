// Reading and driving Litigant's screens in e2e specs: by data-testid, by keyboard, and the
// accessibility check (axe-core) run inside the real web view.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TIMEOUTS, withTimeout } from './app.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const byTestId = (id) => `[data-testid="${id}"]`;

/** Waits for an element to be shown and returns it. */
export async function shown(browser, selector, what = selector) {
  const el = await browser.$(selector);
  await withTimeout(el.waitForDisplayed({ timeout: 10_000 }), 12_000, `show ${what}`);
  return el;
}

export async function click(browser, selector) {
  const el = await shown(browser, selector);
  await withTimeout(el.click(), TIMEOUTS.command, `click ${selector}`);
}

export async function textOf(browser, selector) {
  const el = await shown(browser, selector);
  return withTimeout(el.getText(), TIMEOUTS.command, `text of ${selector}`);
}

/** The text of an element that is in the page but not drawn (e.g. a screen-reader live region). */
export function spokenText(browser, selector) {
  return withTimeout(
    browser.execute((sel) => document.querySelector(sel)?.textContent?.trim() ?? null, selector),
    TIMEOUTS.command,
    `text content of ${selector}`,
  );
}

/**
 * Waits until <main> shows `screen` with its heading, and fails at once if the app reports a
 * failed command instead: the start-up error, or a failed change from the header's switches.
 */
export async function onScreen(browser, screen) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const state = await withTimeout(
      browser.execute((expected) => {
        const failed = document.querySelector('[data-testid="start-error"], #change-error');
        if (failed) return { failed: `${failed.dataset.code}: ${failed.textContent.trim()}` };
        const main = document.querySelector(`main[data-screen="${expected}"]`);
        return { ready: Boolean(main?.querySelector('h1')) };
      }, screen),
      TIMEOUTS.command,
      `read screen ${screen}`,
    );
    if (state.failed) throw new Error(`e2e: the app reports a failed command: ${state.failed}`);
    if (state.ready) return;
    if (Date.now() > deadline) throw new Error(`e2e: screen ${screen} did not appear within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The document's language and display classes, and sizes that elder mode must meet. */
export function documentState(browser) {
  return withTimeout(
    browser.execute(() => {
      const root = document.documentElement;
      const body = getComputedStyle(document.body);
      const buttons = [...document.querySelectorAll('button')].filter((b) => b.offsetParent);
      const choices = [...document.querySelectorAll('.choice')].filter((c) => c.offsetParent);
      return {
        lang: root.lang,
        elder: root.classList.contains('elder'),
        contrast: root.classList.contains('contrast'),
        title: document.title,
        fontSizePx: parseFloat(body.fontSize),
        lineHeightRatio: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
        smallestTargetPx: Math.min(
          ...[...buttons, ...choices].map((el) => {
            const r = el.getBoundingClientRect();
            return Math.min(r.width, r.height);
          }),
        ),
      };
    }),
    TIMEOUTS.command,
    'read document state',
  );
}

/** What has keyboard focus: its test id, else id, else tag and name. */
export function focused(browser) {
  return withTimeout(
    browser.execute(() => {
      const el = document.activeElement;
      if (!el) return null;
      return el.dataset.testid || el.id || `${el.tagName.toLowerCase()}${el.name ? `[${el.name}=${el.value}]` : ''}`;
    }),
    TIMEOUTS.command,
    'read focus',
  );
}

/** Presses keys one at a time, as a person would. */
export async function press(browser, ...keys) {
  for (const key of keys) {
    await withTimeout(browser.keys([key]), TIMEOUTS.command, `press ${key}`);
  }
}

/** Presses Tab until `target` (as `focused()` names it) has focus; fails after `limit` presses. */
export async function tabTo(browser, target, limit = 25) {
  for (let i = 0; i < limit; i++) {
    if ((await focused(browser)) === target) return;
    await press(browser, KEY.Tab);
  }
  throw new Error(`e2e: ${target} not reached after ${limit} Tab presses (focus on ${await focused(browser)})`);
}

/**
 * Runs axe-core on the current screen and returns its violations as plain lines ("rule: target
 * — help"), so an assertion failure shows what to fix.
 */
export async function accessibilityViolations(browser) {
  await withTimeout(browser.execute(AXE_SOURCE), TIMEOUTS.command, 'inject axe-core');
  const violations = await withTimeout(
    browser.execute(async (tags) => {
      const result = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => ({
        id: v.id,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    }, AXE_TAGS),
    30_000,
    'axe-core run',
  );
  return violations.flatMap((v) => v.targets.map((target) => `${v.id}: ${target} — ${v.help}`));
}

/** WebDriver key codes for the keys the specs press. */
export const KEY = Object.freeze({
  Tab: '\uE004',
  Enter: '\uE007',
  Space: '\uE00D',
  ArrowUp: '\uE013',
  ArrowDown: '\uE015',
});

/** Contrast of at least 7:1 (WCAG AAA), which high-contrast mode promises. */
export async function enhancedContrastViolations(browser) {
  await withTimeout(browser.execute(AXE_SOURCE), TIMEOUTS.command, 'inject axe-core');
  return withTimeout(
    browser.execute(async () => {
      const result = await globalThis.axe.run(document, {
        runOnly: { type: 'rule', values: ['color-contrast-enhanced'] },
      });
      return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    }),
    30_000,
    'axe-core contrast run',
  );
}

/**
 * Native windows (such as a GTK file chooser) on the app's display whose title matches
 * `titlePattern`, found with xdotool: WebDriver sees only the web view.
 */
export function nativeWindows(display, titlePattern) {
  try {
    const out = execFileSync('xdotool', ['search', '--onlyvisible', '--name', titlePattern], {
      env: { ...process.env, DISPLAY: display },
      encoding: 'utf8',
      timeout: 5_000,
    });
    return out.split('\n').filter(Boolean);
  } catch (err) {
    if (err.status === 1) return []; // xdotool's "no window matched"
    throw err;
  }
}

/** Sends one key press to a native window on the app's display. */
export function nativeKey(display, windowId, key) {
  const env = { ...process.env, DISPLAY: display };
  execFileSync('xdotool', ['windowfocus', '--sync', windowId], { env, timeout: 5_000 });
  execFileSync('xdotool', ['key', key], { env, timeout: 5_000 });
}
