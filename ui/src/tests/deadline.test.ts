import { screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { timeLeft } from '../lib/time';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

describe('deadlines', () => {
  it('puts the time left in words and a band', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(timeLeft('2026-12-06T10:12:30Z', now)).toEqual({ span: '12 min', band: 'ok' });
    expect(timeLeft('2026-12-06T10:04:00Z', now)).toEqual({ span: '4 min', band: 'soon' });
    expect(timeLeft('2026-12-06T09:57:00Z', now)).toEqual({ span: '3 min', band: 'over' });
    expect(timeLeft('not a time', now)).toBeNull();
  });

  it('shows each waiting request its time left, and the overdue ones as over', async () => {
    const soon = new Date(Date.now() + 2 * 60_000).toISOString();
    const late = new Date(Date.now() - 7 * 60_000).toISOString();
    const fake = new FakeBackend([
      makeRequest(1, { due_at: late }),
      makeRequest(2, { due_at: soon }),
      makeRequest(3),
    ]);
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('time-left')).toHaveLength(2));
    const [over, near] = screen.getAllByTestId('time-left');
    expect(over.getAttribute('data-band')).toBe('over');
    expect(over.textContent).toMatch(/^7 min over$/);
    expect(near.getAttribute('data-band')).toBe('soon');
    expect(near.textContent).toMatch(/^[12] min left$/);
    expect(near.getAttribute('title')).toMatch(/^Due /);
  });

  it('moves the clock the rows read only when a text shown changes', async () => {
    const start = Date.now();
    const old = new Date(start - 2 * 86_400_000 - 3_600_000).toISOString();
    const fake = new FakeBackend([makeRequest(1, { created_at: old })]);
    fake.desk.idleLockSecs = 0;
    const { desk } = await renderApp(fake);
    await screen.findByTestId('queue-row');
    // The clock moves once (the longest wait), and every text notes its next change.
    const shown = start + 10 * 60_000;
    desk.tick(shown);
    expect(desk.now).toBe(shown);
    await tick();
    // Two days old: nothing shown changes for hours, so nine minutes on
    // the clock has not moved and the window sleeps as long as it may.
    expect(desk.tick(shown + 9 * 60_000)).toBe(10 * 60_000);
    expect(desk.now).toBe(shown);
    // A request 40 s old arrives: its age moves on in 15 s steps.
    fake.requests.push(makeRequest(2, { created_at: new Date(shown - 40_000).toISOString() }));
    await desk.queue.reload();
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
    expect(desk.tick(shown + 1_000)).toBeLessThanOrEqual(14_000);
    desk.tick(shown + 20_000);
    expect(desk.now).toBe(shown + 20_000);
    await waitFor(() => expect(screen.getByText('1 min')).toBeTruthy());
  });
});
