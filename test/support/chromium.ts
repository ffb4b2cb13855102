// Debian's headless Chromium for the browser tests (npm browser downloads cannot work here): one path, one
// set of flags that keep it off the network, one visible message when it is missing.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Where Debian's chromium package installs the browser (`.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (root in CI), and nothing that would reach the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when the browser is installed; the browser tests skip (visibly) otherwise. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `SKIPPED: the browser tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`,
  );

/** Start the browser through playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
