import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { durationText, minutesText, timeLabels } from '../lib/charts';
import { Reloader } from '../lib/reload';
import { FakeBackend } from './fake';
import { emptyOverview } from './fake-desk';
import { renderApp } from './render';

async function openOverview(fake: FakeBackend) {
  const r = await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('supervisor'));
  await screen.findByTestId('ov-pending');
  return r;
}

const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** A fallback table as rows of cell texts, the header row first. */
function table(testid: string): string[][] {
  const t = screen.getByTestId(`${testid}-table`);
  return [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? ''));
}

describe('overview', () => {
  it('opens first, with the queue now in tiles', async () => {
    const fake = new FakeBackend();
    await openOverview(fake);
    expect(screen.getByTestId('sv-tab-overview').getAttribute('aria-selected')).toBe('true');
    expect(fake.callsTo('overview')).toEqual([['shift']]);
    expect(screen.getByTestId('overview-range-shift').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('overview-range-day').getAttribute('aria-pressed')).toBe('false');
    expect(text('ov-pending')).toBe('7 pending now');
    expect(text('ov-oldest')).toBe('12 min oldest waiting');
    expect(text('ov-past-sla')).toBe('2 past the 30 min SLA');
    expect(text('ov-second')).toBe('1 second approvals waiting');
    expect(text('ov-decided')).toBe('24 decided, 6 rejected');
  });

  it('draws each chart with a summary and its numbers in a hidden table', async () => {
    const fake = new FakeBackend();
    await openOverview(fake);
    const depth = screen.getByTestId('chart-depth');
    expect(depth.tagName).toBe('CANVAS');
    expect(depth.getAttribute('role')).toBe('img');
    // Samples that span midnight name their days too.
    expect(depth.getAttribute('aria-label')).toMatch(
      /^Queue depth over time, 12 samples from (\d\d-\d\d )?\d\d:\d\d to (\d\d-\d\d )?\d\d:\d\d: 7 pending at the last sample, peak 8\.$/,
    );
    const d = table('chart-depth');
    expect(d[0]).toEqual(['Time', 'All', 'Paykassma', 'Zexabit']);
    expect(d).toHaveLength(13);
    expect(d[12].slice(1)).toEqual(['7', '1', '6']);
    expect(d[1][0]).toMatch(/^(\d\d-\d\d )?\d\d:\d\d$/);

    const agents = table('chart-throughput-agent');
    expect(agents[0]).toEqual(['Hour', 'Asha', 'Bilal']);
    expect(agents.slice(1).map((r) => r.slice(1))).toEqual([['3', '4'], ['5', '6'], ['2', '3'], ['1', '0']]);
    expect(agents[1][0]).toMatch(/^(\d\d-\d\d )?\d\d:00$/);
    expect(screen.getByTestId('chart-throughput-agent').getAttribute('aria-label')).toContain('24 decisions over 4 hours. Bilal 13, Asha 11.');
    expect(table('chart-throughput-provider')[0]).toEqual(['Hour', 'Paykassma', 'Zexabit']);

    expect(table('chart-decide-times')).toEqual([
      ['Agent', 'Median', '90th percentile'],
      ['Asha', '1.5 min', '4.0 min'],
      ['Bilal', '2.5 min', '7.0 min'],
    ]);
    expect(text('decide-not-timed')).toBe('Not timed: Rina');
    expect(table('chart-rejections').slice(1)).toEqual([
      ['TrxID not found at the provider', '3'],
      ['Amount does not match', '2'],
      ['Duplicate request', '1'],
    ]);

    const now = within(screen.getByTestId('chart-depth-now')).getAllByTestId('depth-now-row');
    expect(now.map((r) => r.dataset.method)).toEqual(['bkash', 'nagad', 'upi']);
    expect(now[0].textContent).toContain('Zexabit · Deposit · bkash');
    expect(now[0].textContent).toContain('4');
    expect(now[0].textContent).toContain('oldest 12 min');
  });

  it('switches the range and asks the core for it', async () => {
    const fake = new FakeBackend();
    await openOverview(fake);
    await fireEvent.click(screen.getByTestId('overview-range-week'));
    await waitFor(() => expect(text('ov-decided')).toBe('216 decided, 54 rejected'));
    expect(fake.callsTo('overview')).toEqual([['shift'], ['week']]);
    expect(screen.getByTestId('overview-range-week').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('overview-range-shift').getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(screen.getByTestId('overview-range-day'));
    await waitFor(() => expect(fake.callsTo('overview').at(-1)).toEqual(['day']));
  });

  it('says so when nothing was decided, instead of empty charts', async () => {
    const fake = new FakeBackend();
    fake.sv.overviews.day = emptyOverview('day');
    await openOverview(fake);
    await fireEvent.click(screen.getByTestId('overview-range-day'));
    await screen.findByTestId('chart-throughput-agent-empty');
    for (const id of ['chart-throughput-agent', 'chart-throughput-provider', 'chart-decide-times', 'chart-rejections']) {
      expect(text(`${id}-empty`)).toBe('Nothing decided in this range yet.');
      expect(screen.queryByTestId(id)).toBeNull();
    }
    expect(text('chart-depth-empty')).toBe('No samples of the queue in this range yet.');
    expect(text('chart-depth-now-empty')).toBe('Nothing is waiting.');
    expect(text('ov-oldest')).toBe('— oldest waiting');
  });

  it('reloads when the core announces a change', async () => {
    const fake = new FakeBackend();
    await openOverview(fake);
    fake.sv.overviews.shift = { ...fake.sv.overviews.shift, pending: 9 };
    fake.emit({ requests: ['req-1'] });
    await waitFor(() => expect(text('ov-pending')).toBe('9 pending now'), { timeout: 3000 });
    expect(fake.callsTo('overview')).toHaveLength(2);
  });
});

describe('reloading', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces changes to one load per gap, and loads on a timer until stopped', () => {
    vi.useFakeTimers();
    let loads = 0;
    const r = new Reloader(() => loads++, 2000);
    r.now();
    expect(loads).toBe(1);
    r.soon();
    r.soon();
    r.soon();
    vi.advanceTimersByTime(1999);
    expect(loads).toBe(1);
    vi.advanceTimersByTime(1);
    expect(loads).toBe(2);
    vi.advanceTimersByTime(5000);
    r.soon();
    vi.advanceTimersByTime(0);
    expect(loads).toBe(3);
    r.every(60_000);
    vi.advanceTimersByTime(59_999);
    expect(loads).toBe(3);
    // The tick asks for a load "soon": past the gap already, so at once.
    vi.advanceTimersByTime(2);
    expect(loads).toBe(4);
    r.soon();
    r.stop();
    vi.advanceTimersByTime(120_000);
    expect(loads).toBe(4);
  });
});

describe('chart helpers', () => {
  it('labels times on one day by the clock, over days with the date', () => {
    const a = new Date(2024, 4, 1, 9, 5).toISOString();
    const b = new Date(2024, 4, 1, 14, 30).toISOString();
    const c = new Date(2024, 4, 2, 8, 0).toISOString();
    expect(timeLabels([a, b])).toEqual(['09:05', '14:30']);
    expect(timeLabels([a, b], true)).toEqual(['09:00', '14:00']);
    expect(timeLabels([a, c])).toEqual(['05-01 09:05', '05-02 08:00']);
  });

  it('writes durations in minutes with one decimal, and handled times in words', () => {
    expect(minutesText(90_000)).toBe('1.5 min');
    expect(minutesText(null)).toBe('—');
    expect(durationText(45_000)).toBe('45 s');
    expect(durationText(200_000)).toBe('3 min 20 s');
    expect(durationText(3_900_000)).toBe('1 h 5 min');
    expect(durationText(null)).toBe('—');
  });
});
