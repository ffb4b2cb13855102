// The syslog receiver's own thread: listens, frames and writes the spool; counters in shared memory, problems as messages.
import { parentPort, workerData } from 'node:worker_threads';
import {
  type ReceiverThreadData,
  type ReceiverThreadMessage,
  SyslogCounters,
  SyslogListener,
} from './syslog.js';

const port = parentPort!;
const data = workerData as ReceiverThreadData;
const send = (m: ReceiverThreadMessage) => port.postMessage(m);
const listener = new SyslogListener(
  { ...data.options, onProblem: (sentence) => send({ type: 'problem', sentence }) },
  new SyslogCounters(data.counters),
);
port.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  void listener
    .stop()
    .catch((e: Error) => send({ type: 'problem', sentence: e.message }))
    .then(() => {
      send({ type: 'stopped' });
      port.close();
    });
});
try {
  await listener.start();
  send({ type: 'ready', port: listener.port() });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  send({ type: 'error', message: err.message, code: err.code });
  await listener.stop().catch(() => {});
  port.close();
}
