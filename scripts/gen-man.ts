// Writes docs/fwlens.1 from the command definitions: `npm run docs:man` (test/man-page.test.ts checks it is fresh).
import { writeFileSync } from 'node:fs';
import { renderManPage } from '../src/cli/man.js';
import { packageVersion } from '../src/util/package-root.js';

/** Where the man page lives in the repository and the package. */
export const MAN_PAGE_PATH = 'docs/fwlens.1';

if (import.meta.url === `file://${process.argv[1]}`)
  writeFileSync(MAN_PAGE_PATH, renderManPage(packageVersion()));
