import { describe, expect, it } from 'vitest';
import { clockTime, localTime, relativeAge, spanEnd } from './time';

const base = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(base - ms).toISOString();

describe('relativeAge', () => {
  it('shows seconds under a minute', () => {
    expect(relativeAge(ago(0), base)).toBe('0 s');
    expect(relativeAge(ago(12_400), base)).toBe('12 s');
    expect(relativeAge(ago(59_999), base)).toBe('59 s');
  });
  it('shows minutes under an hour', () => {
    expect(relativeAge(ago(60_000), base)).toBe('1 min');
    expect(relativeAge(ago(3 * 60_000 + 30_000), base)).toBe('3 min');
    expect(relativeAge(ago(59 * 60_000 + 59_000), base)).toBe('59 min');
  });
  it('shows hours under a day, then days', () => {
    expect(relativeAge(ago(2 * 3_600_000 + 5), base)).toBe('2 h');
    expect(relativeAge(ago(23 * 3_600_000), base)).toBe('23 h');
    expect(relativeAge(ago(3 * 86_400_000), base)).toBe('3 d');
  });
  it('never goes negative when the clock is behind', () => {
    expect(relativeAge(ago(-5_000), base)).toBe('0 s');
  });
  it('handles garbage', () => {
    expect(relativeAge('not a date', base)).toBe('—');
  });
  it('ticks as time passes', () => {
    const created = ago(0);
    expect(relativeAge(created, base + 1_000)).toBe('1 s');
    expect(relativeAge(created, base + 61_000)).toBe('1 min');
  });
});

describe('localTime', () => {
  it('formats as local date and time', () => {
    expect(localTime('2024-05-01T12:00:00Z')).toMatch(/^2024-05-0[12] \d\d:\d\d:00$/);
  });
  it('returns the input when unparsable', () => {
    expect(localTime('nope')).toBe('nope');
  });
});

describe('clockTime', () => {
  it('shows only hours and minutes on the same local day', () => {
    const at = new Date(2024, 4, 1, 9, 5, 30);
    expect(clockTime(at.toISOString(), new Date(2024, 4, 1, 18, 0).getTime())).toBe('09:05');
  });
  it('adds the date on another day', () => {
    const at = new Date(2024, 4, 1, 23, 59);
    expect(clockTime(at.toISOString(), new Date(2024, 4, 2, 0, 10).getTime())).toBe('2024-05-01 23:59');
  });
  it('returns the input when unparsable', () => {
    expect(clockTime('nope', base)).toBe('nope');
  });
});

describe('spanEnd', () => {
  it('is nothing for one moment', () => {
    expect(spanEnd('2024-05-01T12:00:00Z', '2024-05-01T12:00:00.400Z')).toBeNull();
  });
  it('shows only the time on the same local day', () => {
    const first = new Date(2024, 4, 1, 10, 2, 11).toISOString();
    const last = new Date(2024, 4, 1, 10, 4, 40).toISOString();
    expect(spanEnd(first, last)).toBe('10:04:40');
  });
  it('shows the date too on another day', () => {
    const first = new Date(2024, 4, 1, 23, 59, 0).toISOString();
    const last = new Date(2024, 4, 2, 0, 1, 5).toISOString();
    expect(spanEnd(first, last)).toBe('2024-05-02 00:01:05');
  });
  it('returns an unparsable end as given', () => {
    expect(spanEnd('2024-05-01T12:00:00Z', 'nope')).toBe('nope');
  });
});
