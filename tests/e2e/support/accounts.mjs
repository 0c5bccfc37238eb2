// The demo court's side of e2e specs: its SMS outbox (read with the clerk's token, as a person
// reads their phone), and scans for secrets that must never reach the disk or a log.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { withTimeout } from './app.mjs';

/** The newest code the demo court "sent" to `mobile` (optionally for `purpose`). */
export async function smsCode(dataDir, url, mobile, purpose) {
  const clerk = readFileSync(path.join(dataDir, 'demo-court', 'clerk-token'), 'utf8').trim();
  const response = await withTimeout(
    fetch(`${url}/api/v1/sim/sms-outbox`, { headers: { Authorization: `Bearer ${clerk}` } }),
    10_000,
    'GET the SMS outbox',
  );
  const outbox = await response.json();
  const sms = outbox.items.find((item) => item.mobile === mobile && (!purpose || item.purpose === purpose));
  if (!sms) throw new Error(`e2e: no SMS to ${mobile} (${purpose ?? 'any'}) in the demo court's outbox`);
  return sms.code;
}

/** Every file under `folder`, except the subfolders named in `skip`, as relative paths. */
export function filesUnder(folder, skip = []) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const relative = path.relative(folder, full);
      if (skip.includes(relative)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative);
    }
  };
  if (existsSync(folder)) walk(folder);
  return out.sort();
}

/** `{ relative path: sha256 }` for every file under `folder` except `skip`. */
export function treeHash(folder, skip = []) {
  return Object.fromEntries(
    filesUnder(folder, skip).map((f) => [f, createHash('sha256').update(readFileSync(path.join(folder, f))).digest('hex')]),
  );
}

/** The files (among `files`, absolute) that contain any of `needles`: `[file, needle]` pairs. */
export function filesContaining(files, needles) {
  const hits = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const needle of needles) {
      if (needle && text.includes(Buffer.from(needle).toString('latin1'))) hits.push([file, needle.slice(0, 6) + '…']);
    }
  }
  return hits;
}

/** A resident ID number with a right check character, and the same with a wrong one. */
export function idNumbers(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  const check = '10X98765432'[sum % 11];
  return { right: first17 + check, wrong: first17 + (check === '0' ? '1' : '0') };
}
