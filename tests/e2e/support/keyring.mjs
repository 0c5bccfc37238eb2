// A real Secret Service for the app: a private D-Bus session bus with gnome-keyring-daemon,
// unlocked with a throwaway password, in a temporary folder. The app reaches it through
// DBUS_SESSION_BUS_ADDRESS (pass `keyring.env` to launchApp); the spec reads what the app kept
// with `secret-tool` (Debian package libsecret-tools), as another program on the desktop would.

import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { makeTempDir, withTimeout } from './app.mjs';

const run = promisify(execFile);

/** The service name the app files its keychain entries under (src-tauri/src/signed_in.rs). */
export const KEYCHAIN_SERVICE = 'org.litigant.desktop';

function stop(child) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts the bus and the keyring; resolves once the Secret Service answers on the bus. */
export async function startKeyring() {
  const root = await makeTempDir('litigant-e2e-keyring-');
  const xdg = path.join(root, 'xdg');
  const runtime = path.join(root, 'run');
  mkdirSync(xdg, { recursive: true });
  mkdirSync(runtime, { recursive: true, mode: 0o700 });

  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const children = [bus];
  const cleanup = () => {
    for (const child of children) stop(child);
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  try {
    const address = await withTimeout(
      new Promise((resolve, reject) => {
        bus.once('error', reject);
        createInterface({ input: bus.stdout }).once('line', (line) => resolve(line.trim()));
      }),
      10_000,
      'dbus-daemon address',
    );
    const env = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_DATA_HOME: xdg,
      XDG_RUNTIME_DIR: runtime,
      HOME: root,
    };
    const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      detached: true,
      env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(daemon);
    daemon.stdin.end('e2e-keyring-password');
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { stdout } = await run(
        'dbus-send',
        ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
        { env },
      );
      if (stdout.includes('boolean true')) break;
      if (Date.now() > deadline) throw new Error('e2e: gnome-keyring-daemon did not take org.freedesktop.secrets within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      /** For launchApp({ env }): the app's session bus. */
      env: { DBUS_SESSION_BUS_ADDRESS: address },
      /** Every entry the app kept: [{ username, secret }]. */
      async entries() {
        const { stdout, stderr } = await run('secret-tool', ['search', '--all', '--unlock', 'service', KEYCHAIN_SERVICE], { env });
        // secret-tool prints each item's label and secret on stdout and its attributes on
        // stderr, item by item in the same order: the n-th username belongs to the n-th secret.
        const pick = (text, key) =>
          text.split('\n').flatMap((line) => {
            const match = new RegExp(`^${key} = (.*)$`).exec(line.trim());
            return match ? [match[1]] : [];
          });
        const secrets = pick(stdout, 'secret');
        const found = pick(stderr, 'attribute\\.username').map((username, i) => ({ username, secret: secrets[i] }));
        return found.filter((e) => e.username);
      },
      stop: cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}
