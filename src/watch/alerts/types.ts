// The interface between `fwlens watch` and its alert sinks (terminal, NDJSON, webhook, exec, blocking).
import type { Finding } from '../../detect/types.js';
import type { Lang } from '../../i18n.js';

/** One announcement: a finding decided for the first time (`new`) or grown since (`update`). */
export interface AlertAnnouncement {
  kind: 'new' | 'update';
  finding: Finding;
  /** Stable id of the episode, the same for its `new` and every `update` (sinks may deduplicate by it). */
  id?: string;
}

/** Where announcements go; `announce` resolves once the alert is handed over (the watcher checkpoints after). */
export interface Alerter {
  announce(a: AlertAnnouncement): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Counters for the status file (sent, failed, queued ...). */
  stats(): Record<string, number>;
}

/** What every alerter is built from. */
export interface AlerterOptions {
  lang: Lang;
  /** NDJSON (ECS alert documents) instead of human lines. */
  json?: boolean;
  /** Where terminal lines and NDJSON go. */
  stdout: NodeJS.WritableStream;
  /** Where problems of the sinks are told. */
  stderr: NodeJS.WritableStream;
  /** Announcements below this severity (1-5) are not sent. */
  minSeverity?: number;
}
