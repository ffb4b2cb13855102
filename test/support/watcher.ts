// A watcher run in process by a test: what such tests leave as it is (the bundled knowledge, a 20 ms poll, no
// alert kept, no notice), with the test's own options on top.
import { knowledgeBase } from '../../src/knowledge/index.js';
import type { AlertEvent, Alerter } from '../../src/watch/alerts/types.js';
import { Watcher, type WatcherOptions } from '../../src/watch/watcher.js';

/** An alerter that sends nothing anywhere; each announcement goes to `onAnnounce` when one is given. */
export function quietAlerter(onAnnounce?: (a: AlertEvent) => void): Alerter {
  return {
    announce: async (a) => onAnnounce?.(a),
    flush: async () => {},
    close: async () => {},
    stats: () => ({}),
  };
}

/** A Watcher with the defaults above; `state` is the test's own. */
export function testWatcher(opts: Pick<WatcherOptions, 'state'> & Partial<WatcherOptions>): Watcher {
  return new Watcher({
    files: [],
    pollMs: 20,
    records: {},
    kb: knowledgeBase(),
    alerter: quietAlerter(),
    onNotice: () => {},
    ...opts,
  });
}
