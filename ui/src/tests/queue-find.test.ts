import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueQuery } from '../lib/bindings/QueueQuery';
import { FakeBackend, makeRequest } from './fake';
import { viewport } from './layout';
import { renderApp } from './render';

afterEach(() => {
  viewport.height = 4000;
});

const lastQuery = (fake: FakeBackend) => fake.callsTo('list_queue').at(-1)?.[0] as QueueQuery;
const shownIds = () => screen.getAllByTestId('queue-row').map((r) => r.getAttribute('data-id'));

/** Twelve pending requests: user-1 … user-12, amounts n00.00, BDT but for two in INR by Nagad. */
function mixed(): FakeBackend {
  const rows = Array.from({ length: 12 }, (_, i) => makeRequest(i + 1));
  for (const n of [4, 9]) {
    const s = rows[n - 1].summary;
    s.money = { amount: s.money.amount, currency: 'INR' };
    s.amount_display = `${s.money.amount} INR`;
    s.method = 'nagad';
    s.method_label = 'Nagad';
  }
  rows.push(makeRequest(13, { status: 'outcome_unknown' }), makeRequest(14, { status: 'amount_differs' }));
  return new FakeBackend(rows);
}

describe('queue search', () => {
  it('`/` focuses the search box, typing narrows as you type, Escape clears and goes back to the list', async () => {
    const fake = mixed();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    const search = screen.getByTestId('queue-search') as HTMLInputElement;

    await fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);

    await fireEvent.input(search, { target: { value: 'user-1' } });
    // user-1, user-10, user-11, user-12 (and no call per key: debounced).
    await waitFor(() => expect(shownIds()).toEqual(['req-1', 'req-10', 'req-11', 'req-12']));
    expect(lastQuery(fake)).toMatchObject({ tab: 'queue', search: 'user-1' });

    // By reference too, whatever the case.
    await fireEvent.input(search, { target: { value: 'trx7' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-7']));

    await fireEvent.keyDown(search, { key: 'Escape' });
    expect(search.value).toBe('');
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    expect(lastQuery(fake).search).toBeUndefined();
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('queue-row'));
  });

  it('says 3 characters are needed and does not search with fewer', async () => {
    const fake = mixed();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    const reads = fake.callsTo('list_queue').length;
    const search = screen.getByTestId('queue-search');
    await fireEvent.input(search, { target: { value: 'us' } });
    expect((await screen.findByTestId('queue-search-hint')).textContent).toContain('Type at least 3 characters');
    expect(search.getAttribute('aria-describedby')).toBe('queue-search-hint');
    await new Promise((r) => setTimeout(r, 250));
    expect(fake.callsTo('list_queue')).toHaveLength(reads);
    expect(screen.getAllByTestId('queue-row')).toHaveLength(12);
    await fireEvent.input(search, { target: { value: 'use' } });
    await waitFor(() => expect(screen.queryByTestId('queue-search-hint')).toBeNull());
    await waitFor(() => expect(lastQuery(fake)).toMatchObject({ search: 'use' }));
  });

  it('leaves `/` alone while typing in a field', async () => {
    const fake = mixed();
    await renderApp(fake);
    const amount = screen.getByTestId('filter-amount-min');
    amount.focus();
    await fireEvent.keyDown(amount, { key: '/' });
    expect(document.activeElement).toBe(amount);
  });
});

describe('queue filters and sort', () => {
  it('offers every currency and method the core has stored, not only those of the loaded rows', async () => {
    const fake = mixed();
    // A request far down the view (in the core, not among the rows shown).
    const far = makeRequest(99, { status: 'completed' });
    far.summary.money = { amount: far.summary.money.amount, currency: 'USDT' };
    far.summary.method = 'usdt_trc20';
    far.summary.method_label = 'USDT (TRC-20)';
    fake.requests.push(far);
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    const options = (label: string) =>
      [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.textContent);
    await waitFor(() => expect(options('Currency')).toContain('USDT'));
    expect(options('Method')).toContain('USDT (TRC-20)');
    expect(fake.callsTo('filter_choices').length).toBeGreaterThan(0);
  });

  it('sends every filter and the order in the query, and clears them all at once', async () => {
    const fake = mixed();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));

    await fireEvent.change(screen.getByLabelText('Currency'), { target: { value: 'INR' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-4', 'req-9']));
    expect(lastQuery(fake)).toMatchObject({ tab: 'queue', currency: 'INR' });

    await fireEvent.change(screen.getByLabelText('Currency'), { target: { value: '' } });
    await fireEvent.change(screen.getByLabelText('Method'), { target: { value: 'bkash' } });
    await fireEvent.change(screen.getByTestId('filter-amount-min'), { target: { value: '300' } });
    await fireEvent.change(screen.getByTestId('filter-amount-max'), { target: { value: '800' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-3', 'req-5', 'req-6', 'req-7', 'req-8']));
    expect(lastQuery(fake)).toMatchObject({ method: 'bkash', amount_min: '300', amount_max: '800' });
    expect(lastQuery(fake).currency).toBeUndefined();

    await fireEvent.change(screen.getByTestId('queue-sort'), { target: { value: 'amount' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-8', 'req-7', 'req-6', 'req-5', 'req-3']));
    expect(lastQuery(fake)).toMatchObject({ order: 'amount', method: 'bkash' });

    await fireEvent.change(screen.getByTestId('filter-older'), { target: { value: '15' } });
    await waitFor(() => expect(lastQuery(fake)).toMatchObject({ older_than_minutes: 15 }));

    await fireEvent.click(screen.getByTestId('filters-clear'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    // The order is not a filter: it stays.
    expect(lastQuery(fake)).toEqual({ tab: 'queue', order: 'amount', limit: 50 });
    expect((screen.getByTestId('filters-clear') as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers the statuses of the tab on screen only', async () => {
    const fake = mixed();
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-attention'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
    const status = screen.getByLabelText('Status') as HTMLSelectElement;
    expect(Array.from(status.options).map((o) => o.value)).toEqual(['', 'failed', 'outcome_unknown', 'amount_differs']);
    await fireEvent.change(status, { target: { value: 'amount_differs' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-14']));
    expect(lastQuery(fake)).toMatchObject({ tab: 'attention', status: 'amount_differs' });
    // Another tab drops a status that is not on it.
    await fireEvent.click(screen.getByTestId('tab-queue'));
    await waitFor(() => expect(lastQuery(fake).tab).toBe('queue'));
    expect(lastQuery(fake).status).toBeUndefined();
  });

  it("shows the core's word on a bad amount inline, and recovers", async () => {
    const fake = mixed();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    await fireEvent.change(screen.getByTestId('filter-amount-min'), { target: { value: '12abc' } });
    expect((await screen.findByTestId('queue-invalid')).textContent).toBe('The lowest amount is not an amount: 12abc');
    expect(screen.queryAllByTestId('queue-row')).toHaveLength(0);
    expect(screen.queryByTestId('error-banner')).toBeNull();
    await fireEvent.change(screen.getByTestId('filter-amount-min'), { target: { value: '1200' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-12']));
    expect(screen.queryByTestId('queue-invalid')).toBeNull();
  });

  it('exports what is shown: the tab, every filter, the search and the order', async () => {
    const fake = mixed();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    await fireEvent.change(screen.getByTestId('filter-amount-min'), { target: { value: '200' } });
    await fireEvent.change(screen.getByTestId('queue-sort'), { target: { value: 'time_left' } });
    await fireEvent.input(screen.getByTestId('queue-search'), { target: { value: 'user-1' } });
    await waitFor(() => expect(lastQuery(fake)).toMatchObject({ search: 'user-1' }));
    await fireEvent.click(screen.getByTestId('export-view'));
    const result = await screen.findByTestId('export-result');
    expect(fake.callsTo('export_view')).toEqual([[{ tab: 'queue', amount_min: '200', search: 'user-1', order: 'time_left' }]]);
    // user-10, user-11, user-12 (user-1 is 100.00).
    expect(result.textContent?.replace(/\s+/g, ' ').trim()).toBe('Saved 3 rows to /home/asha/Downloads/cashdesk-queue.csv');
  });
});

describe('saved views', () => {
  it('saves the view on screen by a name typed inline, shows its count, applies and deletes it', async () => {
    const fake = mixed();
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    expect(fake.callsTo('saved_views').length).toBeGreaterThan(0);

    await fireEvent.change(screen.getByLabelText('Currency'), { target: { value: 'INR' } });
    await waitFor(() => expect(shownIds()).toEqual(['req-4', 'req-9']));
    await fireEvent.click(screen.getByTestId('view-new'));
    const name = screen.getByTestId('view-name');
    expect(document.activeElement).toBe(name);
    await fireEvent.input(name, { target: { value: 'Rupees' } });
    await fireEvent.click(screen.getByTestId('view-save'));

    const chip = await screen.findByTestId('view-chip');
    expect(fake.callsTo('save_view')).toEqual([['Rupees', { tab: 'queue', currency: 'INR' }]]);
    expect(within(chip).getByTestId('view-count').textContent).toBe('2');
    expect(within(chip).getByRole('button', { name: /^Rupees/ }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('view-name')).toBeNull();
    // Focus goes back to "Save view" for the keyboard.
    expect(document.activeElement).toBe(screen.getByTestId('view-new'));

    await fireEvent.click(screen.getByTestId('filters-clear'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(12));
    expect(within(chip).getByRole('button', { name: /^Rupees/ }).getAttribute('aria-pressed')).toBe('false');

    await fireEvent.click(within(chip).getByRole('button', { name: /^Rupees/ }));
    await waitFor(() => expect(shownIds()).toEqual(['req-4', 'req-9']));
    expect(lastQuery(fake)).toMatchObject({ tab: 'queue', currency: 'INR' });
    expect((screen.getByLabelText('Currency') as HTMLSelectElement).value).toBe('INR');

    await fireEvent.click(within(chip).getByRole('button', { name: 'Delete the view Rupees' }));
    await waitFor(() => expect(screen.queryByTestId('view-chip')).toBeNull());
    expect(fake.callsTo('delete_view')).toEqual([['Rupees']]);
  });

  it("lists the operator's views with live counts and applies a view's tab and search", async () => {
    const fake = mixed();
    fake.queue.views = [
      { name: 'Needs a person', query: { tab: 'attention', status: 'amount_differs' } },
      { name: 'User 1x', query: { tab: 'queue', search: 'user-1', order: 'amount' } },
    ];
    await renderApp(fake);
    const chips = await screen.findAllByTestId('view-chip');
    expect(chips.map((c) => within(c).getByTestId('view-count').textContent)).toEqual(['1', '4']);

    await fireEvent.click(within(chips[1]).getByRole('button', { name: /^User 1x/ }));
    await waitFor(() => expect(shownIds()).toEqual(['req-12', 'req-11', 'req-10', 'req-1']));
    expect((screen.getByTestId('queue-search') as HTMLInputElement).value).toBe('user-1');
    expect((screen.getByTestId('queue-sort') as HTMLSelectElement).value).toBe('amount');

    await fireEvent.click(within(chips[0]).getByRole('button', { name: /^Needs a person/ }));
    await waitFor(() => expect(shownIds()).toEqual(['req-14']));
    expect(screen.getByTestId('tab-attention').getAttribute('aria-selected')).toBe('true');
    expect((screen.getByTestId('queue-search') as HTMLInputElement).value).toBe('');
  });

  it('shows why a view cannot be saved beside its name, and Escape gives up', async () => {
    const fake = mixed();
    fake.saveView = () => Promise.reject({ code: 'invalid_input', message: 'At most 12 saved views: delete one first' });
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('view-new'));
    const name = screen.getByTestId('view-name');
    await fireEvent.input(name, { target: { value: 'One more' } });
    await fireEvent.submit(name.closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('At most 12 saved views: delete one first');
    await fireEvent.keyDown(name, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('view-name')).toBeNull());
  });

  it('re-reads the counts on refreshes, at most every few seconds', async () => {
    const fake = mixed();
    const { desk } = await renderApp(fake);
    await waitFor(() => expect(fake.callsTo('saved_views')).toHaveLength(1));
    await desk.queue.reload();
    await desk.queue.reload();
    expect(fake.callsTo('saved_views')).toHaveLength(1);
    // Past the interval, the next refresh reads them again.
    (desk.queue as unknown as { viewsAt: number }).viewsAt = Date.now() - 6000;
    await desk.queue.reload();
    await waitFor(() => expect(fake.callsTo('saved_views')).toHaveLength(2));
  });
});

describe('virtual list', () => {
  it('mounts only the rows on screen and reads the next page when scrolled near the end', async () => {
    viewport.height = 400;
    const fake = new FakeBackend(Array.from({ length: 300 }, (_, i) => makeRequest(i + 1)));
    const { desk } = await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row').length).toBeGreaterThan(5));
    expect(desk.queue.items).toHaveLength(50);
    expect(screen.getAllByTestId('queue-row').length).toBeLessThan(30);
    expect(fake.callsTo('list_queue')).toHaveLength(1);

    const list = screen.getByTestId('queue-list');
    list.scrollTop = 50 * 40 - 400;
    await fireEvent.scroll(list);
    await waitFor(() => expect(desk.queue.items).toHaveLength(100));
    expect(lastQuery(fake)).toMatchObject({ after: 'arrival:50', limit: 50 });
    expect(screen.getAllByTestId('queue-row').length).toBeLessThan(30);
    expect(screen.getAllByTestId('queue-row').some((r) => r.getAttribute('data-id') === 'req-45')).toBe(true);
  });

  it('keeps the selected row mounted and scrolls to it with j/k and the arrows', async () => {
    viewport.height = 400;
    const fake = new FakeBackend(Array.from({ length: 100 }, (_, i) => makeRequest(i + 1)));
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    for (let i = 0; i < 30; i++) await fireEvent.keyDown(window, { key: i % 2 ? 'j' : 'ArrowDown' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-31'));
    const selected = screen.getAllByTestId('queue-row').filter((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected.map((r) => r.dataset.id)).toEqual(['req-31']);
    await waitFor(() => expect(screen.getByTestId('queue-list').scrollTop).toBeGreaterThan(0));
    // The first rows are scrolled away and unmounted.
    expect(shownIds()).not.toContain('req-1');
    // Enter on the focused row opens it (the row is a real option).
    const row = selected[0];
    row.focus();
    await fireEvent.keyDown(row, { key: 'Enter' });
    expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-31');
  });

  it('a refresh keeps every row loaded, past 500, re-read in pages of 500', async () => {
    const fake = new FakeBackend(Array.from({ length: 620 }, (_, i) => makeRequest(i + 1)));
    const { desk } = await renderApp(fake);
    const q = desk.queue;
    await waitFor(() => expect(q.items.length).toBeGreaterThanOrEqual(50));
    while (q.next) await q.loadMore();
    expect(q.items).toHaveLength(620);
    await q.select('req-600');
    const before = fake.callsTo('list_queue').length;

    fake.requests[1].summary = { ...fake.requests[1].summary, status: 'completed', status_label: 'completed' };
    fake.emit({ requests: ['req-2'] });
    await waitFor(() => expect(fake.callsTo('list_queue').length).toBe(before + 2));
    await waitFor(() => expect(q.items).toHaveLength(619));
    const reads = fake.callsTo('list_queue').slice(before).map((c) => c[0] as QueueQuery);
    expect(reads).toEqual([
      { tab: 'queue', limit: 500 },
      { tab: 'queue', limit: 120, after: 'arrival:500' },
    ]);
    expect(q.items.at(-1)?.id).toBe('req-620');
    expect(q.selectedId).toBe('req-600');
    // Still virtual: a few rows mounted, the selected one among them.
    const rows = screen.getAllByTestId('queue-row');
    expect(rows.length).toBeLessThan(200);
    expect(rows.some((r) => r.dataset.id === 'req-600')).toBe(true);
  });
});
