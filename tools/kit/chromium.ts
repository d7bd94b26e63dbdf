// Where Debian's Chromium is and how to start it on this closed network. Used by the browser test
// and by scripts/ensure-chromium.ts; Playwright's own browser download cannot work here.
import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** CHROMIUM_PATH when set (and only it: a named binary that is missing is an error), else Debian's. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return DEBIAN_CHROMIUM.find((path) => existsSync(path));
}

/** Flags that keep Chromium from reaching for the network at start-up (it cannot, and it retries). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];
