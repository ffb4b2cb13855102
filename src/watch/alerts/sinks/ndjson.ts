// NDJSON sink: one ECS document per alert, appended to a file (fsynced) or written to a stream such as stdout.
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Lang } from '../../../i18n.js';
import { jsonText } from '../../../util/visible.js';
import { alertDocument } from '../message.js';
import type { AlertMessage, ImmediateSink } from '../types.js';

/** Appends alert documents to `path`, or writes them to `stream` (stdout by default) when no path is given. */
export function ndjsonSink(
  lang: Lang,
  path: string | undefined,
  stream: NodeJS.WritableStream = process.stdout,
): ImmediateSink {
  let handle: FileHandle | undefined;
  let chain: Promise<void> = Promise.resolve();
  const line = (m: AlertMessage) => `${jsonText(alertDocument(m, lang))}\n`;
  return {
    name: path ? 'ndjson-file' : 'ndjson',
    write(m) {
      if (!path) {
        stream.write(line(m));
        return Promise.resolve();
      }
      // Appends in announce order, one at a time.
      const run = chain.then(async () => {
        if (!handle) {
          try {
            await mkdir(dirname(path), { recursive: true });
            handle = await open(path, 'a', 0o640);
          } catch (e) {
            throw new Error(`cannot open the NDJSON alert file ${path} (${(e as Error).message})`);
          }
        }
        await handle.write(line(m));
        await handle.datasync();
      });
      chain = run.catch(() => {});
      return run;
    },
    async close() {
      await chain;
      await handle?.close();
      handle = undefined;
    },
  };
}
