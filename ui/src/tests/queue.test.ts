import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

const three = () => [makeRequest(1), makeRequest(2), makeRequest(3)];

describe('queue', () => {
  it('renders rows with right-aligned amounts and statuses in words', async () => {
    const fake = new FakeBackend([...three(), makeRequest(4, { status: 'completed' })]);
    await renderApp(fake);
    // The virtual list mounts rows once it knows its height.
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(3));
    const rows = screen.getAllByTestId('queue-row');
    expect(rows[0].getAttribute('data-id')).toBe('req-1');
    expect(rows[0].getAttribute('data-status')).toBe('pending');
    const amount = within(rows[1]).getByText('200.00 BDT');
    expect(amount.classList.contains('num')).toBe(true);
    expect(rows[0].textContent).toContain('pending');
    expect(rows[0].querySelector('.mono')?.textContent?.trim()).toBe('TRX1');
    expect(screen.getByTestId('tab-queue').textContent).toContain('3');
    expect(screen.getByTestId('sandbox-banner').textContent).toContain('no real money');
  });

  it('shows the first request in the detail pane with its history', async () => {
    const r = makeRequest(1, { status: 'rejected_by_provider' });
    r.provider_reason = 'INSUFFICIENT_BALANCE — agent wallet too low';
    const fake = new FakeBackend([makeRequest(2), r]);
    await renderApp(fake);
    const detail = await screen.findByTestId('detail');
    expect(detail.getAttribute('data-id')).toBe('req-2');
    expect(screen.getByTestId('detail-status').textContent).toBe('pending');
    expect(screen.getAllByTestId('history-item')).toHaveLength(1);
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(false);

    await fireEvent.click(screen.getByTestId('tab-done'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    expect(screen.getByTestId('detail-provider-reason').textContent).toBe(
      'Zexabit refused: INSUFFICIENT_BALANCE — agent wallet too low',
    );
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('reject') as HTMLButtonElement).disabled).toBe(true);
  });

  it('moves the selection with j/k and arrow keys', async () => {
    const fake = new FakeBackend(three());
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    await fireEvent.keyDown(window, { key: 'ArrowDown' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-3'));
    await fireEvent.keyDown(window, { key: 'k' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    const selected = screen.getAllByTestId('queue-row').filter((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected.map((r) => r.getAttribute('data-id'))).toEqual(['req-2']);
  });

  it('`a` approves the selected request and moves to the next', async () => {
    const fake = new FakeBackend(three());
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    await fireEvent.keyDown(window, { key: 'a' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(fake.callsTo('approve')).toEqual([['req-1']]);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
    expect(screen.getByTestId('tab-in_flight').textContent).toContain('1');
  });

  it('reads the next page by itself while the rows loaded fill the window', async () => {
    const many = Array.from({ length: 60 }, (_, i) => makeRequest(i + 1));
    const fake = new FakeBackend(many);
    const { desk } = await renderApp(fake);
    // 50 rows do not fill a 4000 px window: the next page is read at once.
    await waitFor(() => expect(desk.queue.items).toHaveLength(60));
    expect(fake.callsTo('list_queue').at(-1)?.[0]).toMatchObject({ tab: 'queue', after: 'arrival:50' });
    expect(desk.queue.next).toBeNull();
    expect(screen.queryByTestId('load-more')).toBeNull();
  });

  it('filters by kind', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2, { kind: 'withdrawal' })]);
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
    await fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'withdrawal' } });
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    expect(fake.callsTo('list_queue').at(-1)?.[0]).toMatchObject({ kind: 'withdrawal' });
  });

  it('shows provider-specific lines after the standard fields, mono with copy', async () => {
    const r = makeRequest(1);
    r.extra = [
      { label: 'Country', value: 'MX' },
      { label: 'Beneficiary name', value: 'Ana López' },
      { label: 'Bank account', value: '012180001234567895' },
    ];
    const fake = new FakeBackend([r, makeRequest(2)]);
    await renderApp(fake);
    await screen.findByTestId('detail');
    const extra = await screen.findByTestId('detail-extra');
    expect(screen.getByRole('heading', { name: 'Provider details' })).toBeTruthy();
    expect(Array.from(extra.querySelectorAll('dt')).map((dt) => dt.textContent)).toEqual([
      'Country',
      'Beneficiary name',
      'Bank account',
    ]);
    const account = within(extra).getByText('012180001234567895');
    expect(account.classList.contains('mono')).toBe(true);
    expect(within(extra).getByRole('button', { name: 'Copy Bank account' })).toBeTruthy();
    // After the standard fields.
    const standard = screen.getByText('Request id', { selector: 'dt' });
    expect(standard.compareDocumentPosition(extra) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.queryByTestId('detail-extra')).toBeNull();
    expect(screen.queryByText('Provider details')).toBeNull();
  });
});
