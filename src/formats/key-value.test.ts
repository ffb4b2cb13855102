// Tests of the shared key=value record reader and the epoch / zone helpers.
import { describe, expect, it } from 'vitest';
import { epochDigitsToMs, isoZone, parseKeyValues } from './key-value.js';

describe('parseKeyValues', () => {
  it('reads quoted values with spaces and bare values', () => {
    const f = parseKeyValues('devname="FGT 60E" srcip=192.0.2.1 msg="a \\"quoted\\" word" proto=6');
    expect(f.get('devname')).toBe('FGT 60E');
    expect(f.get('srcip')).toBe('192.0.2.1');
    expect(f.get('msg')).toBe('a "quoted" word');
    expect(f.get('proto')).toBe('6');
  });
  it('switches to commas when the first value is followed by ,key=', () => {
    const f = parseKeyValues('date=2026-11-25,time=16:46:39,srcintf="port 1",dstport=22');
    expect([...f.keys()]).toEqual(['date', 'time', 'srcintf', 'dstport']);
    expect(f.get('srcintf')).toBe('port 1');
  });
  it('skips text that is not a pair and keeps the first of repeated keys', () => {
    const f = parseKeyValues('[conn connsrcip=192.0.2.1 conndestip=198.51.100.2 ] connsrcip=203.0.113.1');
    expect(f.get('connsrcip')).toBe('192.0.2.1');
    expect(f.get('conndestip')).toBe('198.51.100.2');
  });
});

describe('epoch and zone helpers', () => {
  it('reads seconds, milliseconds, microseconds and nanoseconds', () => {
    expect(epochDigitsToMs('1795621599')).toBe(1795621599000);
    expect(epochDigitsToMs('1795621599123')).toBe(1795621599123);
    expect(epochDigitsToMs('1795621599123456')).toBe(1795621599123);
    expect(epochDigitsToMs('1795621599123456789')).toBe(1795621599123);
    expect(epochDigitsToMs('1673277220.253011885')).toBe(1673277220253);
    expect(epochDigitsToMs('N/A')).toBeUndefined();
  });
  it('turns +0100, +11, UTC and unambiguous abbreviations into ISO zone suffixes', () => {
    expect(isoZone('+0100')).toBe('+01:00');
    expect(isoZone('+11')).toBe('+11:00');
    expect(isoZone('UTC')).toBe('Z');
    // Sophos writes the zone's abbreviation (timezone="CET"): it was read as UTC, an hour off.
    expect(isoZone('CET')).toBe('+01:00');
    expect(isoZone('cest')).toBe('+02:00');
    expect(isoZone('PDT')).toBe('-07:00');
    // Ambiguous abbreviations are left to --tz.
    for (const z of ['CST', 'IST', 'BST', 'Europe/Berlin']) expect(isoZone(z), z).toBeUndefined();
  });
});
