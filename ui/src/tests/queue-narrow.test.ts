// The queue's narrowings by provider account, by operator and by age (at
// most so many minutes waiting): in the query the core gets, combined with
// the other filters, cleared with them and kept in saved views.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { QueueQuery } from '../lib/bindings/QueueQuery';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

const lastQuery = (fake: FakeBackend) => fake.callsTo('list_queue').at(-1)?.[0] as QueueQuery;
const shownIds = () => screen.getAllByTestId('queue-row').map((r) => r.getAttribute('data-id'));
const control = <T extends HTMLElement>(id: string) => screen.getByTestId(id) as T;

/**
 * Twelve pending requests, user-1 … user-12: req-4 and req-9 on a second
 * account; Bilal (op-2) handled req-2, req-3 and req-4; req-3 and req-9
 * have waited 45 minutes, the rest under two.
 */
function handled(): FakeBackend {
  const rows = Array.from({ length: 12 }, (_, i) => makeRequest(i + 1));
  for (const n of [4, 9]) rows[n - 1].account_id = 'acc-2';
  const longAgo = new Date(Date.now() - 45 * 60_000).toISOString();
  for (const n of [3, 9]) rows[n - 1].summary.created_at = longAgo;
  const fake = new FakeBackend(rows);
  fake.accounts.push({
    id: 'acc-2',
    provider: 'zimo_pagos',
    provider_label: 'Zimo-pagos',
    name: 'Zimo MX',
    base_url: 'https://api-stg.zimo-pagos.com',
    sandbox: true,
  });
  fake.queue.handledBy = { 'req-2': ['op-2'], 'req-3': ['op-2', 'op-1'], 'req-4': ['op-2'], 'req-5': ['op-3'] };
  return fake;
}

describe('queue narrowed by account, operator and age', () => {
  it('are labelled, sent in the query combined with the other filters, and cleared with them', async () => {
    const fake = handled();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));

    const account = screen.getByRole('combobox', { name: 'Account' }) as HTMLSelectElement;
    expect(Array.from(account.options).map((o) => [o.value, o.text])).toEqual([
      ['', 'All accounts'],
      ['acc-1', 'Zexabit sandbox'],
      ['acc-2', 'Zimo MX'],
    ]);
    const operator = (await screen.findByRole('combobox', { name: 'Operator' })) as HTMLSelectElement;
    expect(operator.title).toBe('Requests this operator entered, claimed, approved or decided');
    expect(Array.from(operator.options).map((o) => o.text)).toEqual(['All operators', 'Asha', 'Bilal', 'Rina', 'Nadia']);
    expect(screen.getByLabelText(/Newer than/)).toBe(control('filter-newer'));

    await fireEvent.change(account, { target: { value: 'acc-2' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-9', 'req-4']));
    expect(lastQuery(fake)).toMatchObject({ tab: 'queue', account: 'acc-2' });

    await fireEvent.change(operator, { target: { value: 'op-2' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-4']));
    expect(lastQuery(fake)).toMatchObject({ account: 'acc-2', operator: 'op-2' });

    await fireEvent.change(account, { target: { value: '' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-3', 'req-2', 'req-4']));
    expect(lastQuery(fake).account).toBeUndefined();

    await fireEvent.change(control('filter-newer'), { target: { value: '30' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-2', 'req-4']));

    await fireEvent.change(control('filter-amount-min'), { target: { value: '300' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-4']));
    expect(lastQuery(fake)).toEqual({ tab: 'queue', operator: 'op-2', newer_than_minutes: 30, amount_min: '300', limit: 50 });

    // Both age bounds at once: waited 40 to 50 minutes.
    await fireEvent.change(control('filter-amount-min'), { target: { value: '' } });
    await fireEvent.change(control('filter-newer'), { target: { value: '50' } });
    await fireEvent.change(control('filter-older'), { target: { value: '40' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-3']));
    expect(lastQuery(fake)).toMatchObject({ operator: 'op-2', older_than_minutes: 40, newer_than_minutes: 50 });

    await fireEvent.click(screen.getByTestId('filters-clear'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    expect(lastQuery(fake)).toEqual({ tab: 'queue', limit: 50 });
    expect(account.value).toBe('');
    expect(operator.value).toBe('');
    expect(control<HTMLInputElement>('filter-newer').value).toBe('');
    expect(control<HTMLInputElement>('filter-older').value).toBe('');
  });

  it('go into a saved view and come back from it', async () => {
    const fake = handled();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    await fireEvent.change(screen.getByRole('combobox', { name: 'Account' }), { target: { value: 'acc-2' } });
    await fireEvent.change(await screen.findByRole('combobox', { name: 'Operator' }), { target: { value: 'op-2' } });
    await fireEvent.change(control('filter-newer'), { target: { value: '30' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-4']));

    await fireEvent.click(screen.getByTestId('view-new'));
    await fireEvent.input(screen.getByTestId('view-name'), { target: { value: 'Bilal on Zimo' } });
    await fireEvent.click(screen.getByTestId('view-save'));
    const chip = await screen.findByTestId('view-chip');
    const saved = { tab: 'queue', account: 'acc-2', newer_than_minutes: 30, operator: 'op-2' };
    expect(fake.callsTo('save_view')).toEqual([['Bilal on Zimo', saved]]);
    expect(fake.queue.views).toEqual([{ name: 'Bilal on Zimo', query: saved }]);
    expect(within(chip).getByTestId('view-count').textContent).toBe('1');

    await fireEvent.click(screen.getByTestId('filters-clear'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    const button = within(chip).getByRole('button', { name: /^Bilal on Zimo/ });
    expect(button.getAttribute('aria-pressed')).toBe('false');

    await fireEvent.click(button);
    await waitFor(() => expect(shownIds()).toEqual(['req-4']));
    expect(lastQuery(fake)).toEqual({ ...saved, limit: 50 });
    expect(button.getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByRole('combobox', { name: 'Account' }) as HTMLSelectElement).value).toBe('acc-2');
    expect((screen.getByRole('combobox', { name: 'Operator' }) as HTMLSelectElement).value).toBe('op-2');
    expect(control<HTMLInputElement>('filter-newer').value).toBe('30');
  });

  it('applies a stored view naming an account that is gone, showing its id', async () => {
    const fake = handled();
    fake.queue.views = [{ name: 'Old account', query: { tab: 'queue', account: 'acc-9', operator: 'op-3' } }];
    await renderApp(fake);
    await fireEvent.click(within(await screen.findByTestId('view-chip')).getByRole('button', { name: /^Old account/ }));
    await waitFor(() => expect(lastQuery(fake)).toMatchObject({ account: 'acc-9', operator: 'op-3' }));
    const account = screen.getByRole('combobox', { name: 'Account' }) as HTMLSelectElement;
    expect(account.value).toBe('acc-9');
    expect(account.selectedOptions[0].text).toBe('acc-9');
  });
});

describe('the operator filter', () => {
  it('is not offered to an agent, whom the core refuses the list of operators, and that is no error', async () => {
    const fake = handled();
    fake.desk.as('op-2');
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    await waitFor(() => expect(fake.callsTo('people')).toHaveLength(1));
    expect(screen.queryByTestId('filter-operator')).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
    // The other narrowings are there.
    expect(screen.getByRole('combobox', { name: 'Account' })).toBeTruthy();
    expect(screen.getByTestId('filter-newer')).toBeTruthy();
  });

  it("goes with the supervisor who logs out and stays away for the agent who logs in", async () => {
    const fake = handled();
    const { desk } = await renderApp(fake);
    await screen.findByTestId('filter-operator');
    await desk.logOut();
    expect(await desk.logIn('op-2', '0451')).toBeNull();
    await waitFor(() => expect(fake.callsTo('people')).toHaveLength(2));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    expect(screen.queryByTestId('filter-operator')).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('says why when the list of operators cannot be read for another reason', async () => {
    const fake = handled();
    fake.people = () => Promise.reject({ code: 'storage', message: 'The database could not be read.' });
    await renderApp(fake);
    expect((await screen.findByTestId('error-banner')).textContent).toContain('The database could not be read.');
    expect(screen.queryByTestId('filter-operator')).toBeNull();
  });
});
