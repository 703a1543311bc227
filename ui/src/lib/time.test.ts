import { describe, expect, it } from 'vitest';
import { clockMoved, clockTime, localTime, nextTextChange, relativeAge, spanEnd, timeLeft } from './time';

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

/** What one text shown at `base` notes as its next change. */
function changeOf(show: () => unknown): number {
  clockMoved();
  show();
  return nextTextChange();
}

describe('the next change of a text shown', () => {
  it('is the next whole unit of an age, seconds in 15 s steps', () => {
    expect(changeOf(() => relativeAge(ago(3 * 3_600_000 + 600_000), base))).toBe(base + 50 * 60_000);
    expect(changeOf(() => relativeAge(ago(2 * 86_400_000), base))).toBe(base + 86_400_000);
    expect(changeOf(() => relativeAge(ago(90_000), base))).toBe(base + 30_000);
    expect(changeOf(() => relativeAge(ago(12_000), base))).toBe(base + 15_000);
    expect(changeOf(() => relativeAge(ago(50_000), base))).toBe(base + 10_000);
  });
  it('is when fewer whole units are left, or the band turns', () => {
    const due = (ms: number) => new Date(base + ms).toISOString();
    // 12 min 30 s left: "11 min" half a minute on.
    expect(changeOf(() => timeLeft(due(12 * 60_000 + 30_000), base))).toBe(base + 30_001);
    // 2 h 10 min left: "1 h" in ten minutes.
    expect(changeOf(() => timeLeft(due(130 * 60_000), base))).toBe(base + 600_001);
    // 5 min 20 s left: due soon (under five minutes) in 20 s.
    expect(changeOf(() => timeLeft(due(5 * 60_000 + 20_000), base))).toBe(base + 20_001);
    // 40 s left: counted down in 15 s steps, over once past.
    expect(changeOf(() => timeLeft(due(40_000), base))).toBe(base + 15_000);
    // Past due: the overdue age's next minute.
    expect(changeOf(() => timeLeft(due(-90_000), base))).toBe(base + 30_000);
  });
  it('is the next local midnight for a clock time', () => {
    const midnight = new Date(base);
    midnight.setHours(24, 0, 0, 0);
    expect(changeOf(() => clockTime(ago(60_000), base))).toBe(midnight.getTime());
  });
  it('keeps the soonest of all texts shown since the clock moved', () => {
    clockMoved();
    relativeAge(ago(2 * 86_400_000), base);
    relativeAge(ago(90_000), base);
    relativeAge(ago(3 * 3_600_000), base);
    expect(nextTextChange()).toBe(base + 30_000);
  });
});
