// Walking the app with the keyboard alone: Tab / Shift+Tab to a control found by what a person
// reads (its accessible name) or by its test id, a check that the focused control shows its
// focus, and typing into whatever has focus. Specs built on this never click.

import assert from 'node:assert/strict';
import { TIMEOUTS, withTimeout } from './app.mjs';
import { KEY, press } from './page.mjs';

const SHIFT = '\uE008';

/**
 * What has focus, as a person and a spec see it: a key unique within the page (to find a
 * cycle), the test id, id, tag, the accessible name (aria-label, the label, else the text),
 * and whether a focus indicator is drawn (an outline or a box shadow).
 */
export function activeControl(browser) {
  return withTimeout(
    browser.execute(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { key: 'body', tag: 'body', name: '' };
      const path = [];
      for (let node = el; node && node !== document.body; node = node.parentElement) {
        path.unshift(`${node.tagName}:${[...(node.parentElement?.children ?? [])].indexOf(node)}`);
      }
      const labelled = el.getAttribute('aria-labelledby');
      const name =
        el.getAttribute('aria-label') ||
        (labelled && labelled.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ')) ||
        [...(el.labels ?? [])].map((l) => l.textContent).join(' ') ||
        el.textContent ||
        '';
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      return {
        key: path.join('/'),
        testid: el.dataset.testid ?? null,
        id: el.id || null,
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute('type'),
        value: el.value ?? null,
        name: name.replace(/\s+/g, ' ').trim(),
        disabled: Boolean(el.disabled),
        focusVisible: outline || (style.boxShadow !== 'none' && style.boxShadow !== ''),
        outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      };
    }),
    TIMEOUTS.command,
    'read the focused control',
  );
}

/** `target` as a test: a test id or id (string), an accessible name (RegExp), or a function. */
function matcher(target) {
  if (typeof target === 'function') return target;
  if (target instanceof RegExp) return (c) => target.test(c.name);
  return (c) => c.testid === target || c.id === target;
}

export const describe = (c) => `${c.testid ?? c.id ?? c.tag}${c.name ? ` "${c.name.slice(0, 40)}"` : ''}`;

/**
 * Presses Tab (Shift+Tab with `back`) until the focused control matches `target`; fails when
 * focus comes back to a control it already passed (the target is unreachable from here), when
 * focus falls to the page itself, or after `max` presses. Returns the matched control.
 */
export async function tabTo(browser, target, { back = false, max = 80 } = {}) {
  const matches = matcher(target);
  const seen = [];
  const keys = new Set();
  for (let i = 0; i <= max; i++) {
    const control = await activeControl(browser);
    if (matches(control)) return control;
    if (i > 0 && control.key === 'body') {
      throw new Error(`e2e: focus fell to the page while tabbing to ${target}: ${seen.join(' → ')}`);
    }
    if (keys.has(control.key)) {
      throw new Error(`e2e: ${target} is not reachable with ${back ? 'Shift+Tab' : 'Tab'}; focus went round: ${seen.join(' → ')} → ${describe(control)}`);
    }
    keys.add(control.key);
    seen.push(describe(control));
    if (back) await chord(browser, SHIFT, KEY.Tab);
    else await press(browser, KEY.Tab);
  }
  throw new Error(`e2e: ${target} not reached after ${max} presses: ${seen.join(' → ')}`);
}

/**
 * Every control Tab reaches from the current focus, in order, until focus comes round to one
 * already seen: what a keyboard user can get to on this screen, header and navigation included.
 */
export async function tabOrder(browser, { max = 200 } = {}) {
  const order = [];
  const keys = new Set();
  let left = false;
  for (let i = 0; i < max; i++) {
    await press(browser, KEY.Tab);
    const control = await activeControl(browser);
    // Past the last control, focus may leave the page once before it starts again at the top.
    if (control.key === 'body' && !left) {
      left = true;
      continue;
    }
    if (control.key === 'body' || keys.has(control.key)) return order;
    keys.add(control.key);
    order.push(control);
  }
  throw new Error(`e2e: more than ${max} controls in the Tab order`);
}

/** Tabs to `target`, checks its focus is drawn, and presses `key` (Enter by default). */
export async function activate(browser, target, { back = false, key = KEY.Enter } = {}) {
  const control = await tabTo(browser, target, { back });
  await expectFocusVisible(browser);
  await press(browser, key);
  return control;
}

/** Fails unless the focused control draws a focus indicator (outline or box shadow). */
export async function expectFocusVisible(browser) {
  const control = await activeControl(browser);
  assert.ok(control.focusVisible, `focus on ${describe(control)} is not visible (outline ${control.outline})`);
  return control;
}

/**
 * Types `text` into the focused field (after clearing it). WebDriver's global key actions drop
 * characters under Xvfb, so the text goes to the focused element itself; the focus is not moved.
 */
export async function typeHere(browser, text) {
  const el = await browser.getActiveElement();
  const field = await browser.$(el);
  await withTimeout(field.clearValue(), TIMEOUTS.command, 'clear the focused field');
  await withTimeout(field.setValue(text), TIMEOUTS.command, 'type into the focused field');
}

/** Holds `modifier` (Alt or Shift) while pressing `key` once. */
export async function chord(browser, modifier, key) {
  await withTimeout(browser.keys([modifier, key]), TIMEOUTS.command, 'press a key chord');
}

export const MOD = Object.freeze({ Alt: '\uE00A', Shift: SHIFT });
