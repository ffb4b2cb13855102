// Webhook sink: one JSON POST per alert with its id in a header, a timeout on the whole request, retry decisions by status.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Lang, t } from '../../../i18n.js';
import type { QueuedSink } from '../types.js';

/** Default time one POST may take, connecting included: 10 s. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Bytes of a response body read (the rest is discarded); only the status matters. */
export const WEBHOOK_RESPONSE_LIMIT = 64 * 1024;
/**
 * Statuses that will never succeed for the same body: the alert is given up (counted as failed) instead of
 * retried forever. Every other failure (connection refused, timeout, 5xx, 408, 429, 404 of an endpoint not
 * deployed yet ...) is retried with backoff.
 */
export const WEBHOOK_PERMANENT_STATUSES: readonly number[] = [400, 413, 422];

/** The URL as shown in messages: without user name and password. */
export function webhookLabel(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

/** Check a webhook URL; returns one sentence (in `lang`) when it is not usable, undefined when it is. */
export function webhookUrlProblem(url: string, lang: Lang = 'en'): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return t('alert.usage.notUrl', lang, { url });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return t('alert.usage.urlScheme', lang, { url: webhookLabel(url) });
  return undefined;
}

/** POSTs each alert document as JSON to `url`; headers `Idempotency-Key` and `X-Fwlens-Alert-Id` carry the alert id. */
export function webhookSink(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = WEBHOOK_TIMEOUT_MS,
  ca?: string,
): QueuedSink & { statuses: Map<string, number> } {
  const problem = webhookUrlProblem(url);
  if (problem) throw new Error(problem);
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const statuses = new Map<string, number>();
  const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
  return {
    name: `webhook-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`,
    kind: 'webhook',
    label: webhookLabel(url),
    statuses,
    counters: () => Object.fromEntries([...statuses].map(([k, v]) => [`webhook.${k}`, v])),
    deliver(body, id) {
      const payload = Buffer.from(JSON.stringify(body));
      return new Promise((resolve) => {
        let settled = false;
        const done = (r: Awaited<ReturnType<QueuedSink['deliver']>>) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(r);
        };
        const req = request(
          target,
          {
            method: 'POST',
            agent: false,
            // A private CA for an internal endpoint: trusted for this webhook only, the system ones still apply when absent.
            ...(ca !== undefined ? { ca } : {}),
            headers: {
              ...headers,
              'content-type': 'application/json',
              'content-length': String(payload.length),
              'user-agent': 'fwlens-watch',
              'idempotency-key': id,
              'x-fwlens-alert-id': id,
            },
          },
          (res) => {
            let seen = 0;
            res.on('data', (chunk: Buffer) => {
              seen += chunk.length;
              if (seen > WEBHOOK_RESPONSE_LIMIT) res.destroy();
            });
            const status = res.statusCode ?? 0;
            let finished = false;
            const finish = () => {
              if (finished || settled) return;
              finished = true;
              if (status >= 200 && status < 300) {
                count('status_2xx');
                done({ ok: true });
              } else {
                count(`status_${status}`);
                done({
                  ok: false,
                  reason: `HTTP status ${status}`,
                  retry: !WEBHOOK_PERMANENT_STATUSES.includes(status),
                });
              }
            };
            res.on('end', finish);
            res.on('close', finish);
            res.on('error', finish);
          },
        );
        const timer = setTimeout(() => {
          count('timeouts');
          req.destroy();
          done({ ok: false, reason: `no answer within ${timeoutMs} ms`, retry: true });
        }, timeoutMs);
        req.on('error', (e: NodeJS.ErrnoException) => {
          count('errors');
          done({ ok: false, reason: e.code ?? e.message, retry: true });
        });
        req.end(payload);
      });
    },
  };
}
