import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LookupItem } from '../lib/bindings/LookupItem';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

/** Local-time ISO strings, so the shown clock times do not depend on the zone. */
const at = (h: number, m: number, s: number) => new Date(2026, 10, 23, h, m, s).toISOString();

const LOOKUPS: LookupItem[] = [
  {
    question: 'postback lookup by withdrawal_id cd-1',
    answer: 'no postback for this id. That proves nothing: Zexabit may not have sent one yet',
    first_at: at(10, 2, 11),
    last_at: at(10, 4, 40),
    times: 3,
  },
  {
    question: 'status by external_id cd-1',
    answer: 'no answer: connection refused',
    first_at: at(10, 5, 0),
    last_at: at(10, 5, 0),
    times: 1,
  },
];

async function unknownOutcome(lookups: LookupItem[]) {
  const r = makeRequest(1, { status: 'outcome_unknown' });
  r.lookups = structuredClone(lookups);
  const fake = new FakeBackend([r]);
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('tab-attention'));
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
  return fake;
}

describe('lookups in the detail pane', () => {
  it('lists every question with its answer, how often and when', async () => {
    await unknownOutcome(LOOKUPS);
    const section = screen.getByRole('region', { name: 'Asked Zexabit' });
    expect(within(section).getByRole('heading', { name: 'Asked Zexabit' })).toBeTruthy();
    const items = within(section).getAllByRole('listitem');
    expect(items).toHaveLength(2);

    expect(items[0].textContent).toContain('postback lookup by withdrawal_id cd-1');
    expect(within(items[0]).getByTestId('lookup-answer').textContent).toBe(LOOKUPS[0].answer);
    const when = within(items[0]).getByTestId('lookup-when');
    expect(when.textContent).toContain('3×');
    expect(when.textContent).toContain('3 times');
    expect(when.textContent).toContain('2026-11-23 10:02:11');
    expect(when.textContent).toContain('10:04:40');
    expect(when.querySelectorAll('time')).toHaveLength(2);

    expect(within(items[1]).getByTestId('lookup-answer').textContent).toBe('no answer: connection refused');
    const once = within(items[1]).getByTestId('lookup-when');
    expect(once.textContent).not.toContain('×');
    expect(once.textContent?.trim()).toBe('2026-11-23 10:05:00');
  });

  it('is left out when nothing was asked', async () => {
    await unknownOutcome([]);
    expect(screen.queryByTestId('lookups')).toBeNull();
    expect(screen.getAllByTestId('history-item')).toHaveLength(1);
  });
});

describe('lookups in the settle dialog', () => {
  it('shows every lookup and its answer, most recent last, above the outcome choice', async () => {
    await unknownOutcome(LOOKUPS);
    await fireEvent.click(screen.getByTestId('settle'));
    const dialog = await screen.findByRole('dialog', { name: 'Settle request' });
    const section = within(dialog).getByTestId('settle-lookups');
    const answers = within(section).getAllByTestId('lookup-answer').map((a) => a.textContent);
    expect(answers).toEqual([LOOKUPS[0].answer, 'no answer: connection refused']);
    expect(within(section).getAllByTestId('lookup')[0].textContent).toContain('3×');
    const choice = within(dialog).getByRole('group', { name: 'What happened at the provider?' });
    expect(section.compareDocumentPosition(choice) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says so when Cashdesk could not ask the provider', async () => {
    await unknownOutcome([]);
    await fireEvent.click(screen.getByTestId('settle'));
    const dialog = await screen.findByRole('dialog', { name: 'Settle request' });
    expect(within(dialog).getByTestId('lookups-none').textContent).toBe(
      'Cashdesk could not ask Zexabit about this request by our reference.',
    );
    expect(within(dialog).queryAllByTestId('lookup')).toHaveLength(0);
  });
});
