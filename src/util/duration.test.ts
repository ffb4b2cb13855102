import { describe, expect, it } from 'vitest';
import { duration } from './duration.js';

describe('duration: one phrase for a length of time', () => {
  it('says a finding spacing or span in whole seconds and minutes, then hours, then days', () => {
    expect(duration(15_000).en).toBe('15 s');
    expect(duration(89_600).en).toBe('90 s');
    expect(duration(119_000).en).toBe('119 s');
    expect(duration(120_000).en).toBe('2 min');
    expect(duration(119 * 60_000).en).toBe('119 min');
    expect(duration(150 * 60_000).en).toBe('2.5 h');
    expect(duration(47.9 * 3_600_000).en).toBe('47.9 h');
    expect(duration(72 * 3_600_000).en).toBe('3 days');
    expect(duration(36 * 3_600_000 + 48 * 3_600_000).en).toBe('3.5 days');
    expect(duration(15_000).zh).toBe('15 秒');
    expect(duration(150 * 60_000).zh).toBe('2.5 小时');
  });

  it('says a chart bucket or a lag to one decimal in the largest unit that gives at least one', () => {
    expect(duration(1_500, 'decimal').en).toBe('1.5 s');
    expect(duration(90_000, 'decimal').en).toBe('1.5 min');
    expect(duration(2 * 3_600_000 + 100_000, 'decimal').en).toBe('2 h');
    expect(duration(7_300_000, 'decimal').en).toBe('2 h');
    expect(duration(3_055_275_000, 'decimal').en).toBe('35.4 days');
    expect(duration(86_400_000, 'decimal').en).toBe('1 day');
  });
});
