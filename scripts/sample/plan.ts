// Collects the sample's log records, each tagged with the planted scenario it belongs to.
import type { Hook } from './kernel-line.js';
import { netfilterMessage } from './kernel-line.js';
import type { Packet } from './remote.js';

/** What one planted scenario is, for the truth table. */
export interface ScenarioInfo {
  /** Short id, also the tag of its records. */
  id: string;
  /** What was planted, in a few words. */
  title: string;
  /** Who sent it. */
  source: string;
  /** What a reader (or fwlens) should notice. */
  lookFor: string;
}

/** One kernel message at one time, before it is wrapped in the syslog line. */
export interface LogRecord {
  timeUs: number;
  scenario: string;
  message: string;
  /** Damage applied to the finished line (a cut by log rotation). */
  damage?: (line: string) => string;
}

/** Adds records to one scenario. */
export interface ScenarioWriter {
  /** A netfilter LOG line for `packet` seen at `hook` (optionally damaged once written). */
  packet(timeUs: number, hook: Hook, packet: Packet, damage?: (line: string) => string): void;
  /** Any other kernel message (non-firewall lines, damaged lines). */
  raw(timeUs: number, message: string, damage?: (line: string) => string): void;
}

/** All records of the sample, in the order they were planted (sorted by time when written). */
export class Plan {
  readonly records: LogRecord[] = [];
  readonly scenarios: ScenarioInfo[] = [];

  /** Register a scenario and get a writer for its records. */
  scenario(info: ScenarioInfo): ScenarioWriter {
    if (this.scenarios.some((s) => s.id === info.id)) throw new Error(`duplicate scenario ${info.id}`);
    this.scenarios.push(info);
    const records = this.records;
    return {
      packet(timeUs, hook, packet, damage) {
        const message = netfilterMessage(hook, packet.ip, packet.transport);
        records.push({ timeUs, scenario: info.id, message, damage });
      },
      raw(timeUs, message, damage) {
        records.push({ timeUs, scenario: info.id, message, damage });
      },
    };
  }
}
