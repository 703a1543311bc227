import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { QuarantineItem } from '../lib/bindings/QuarantineItem';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

/** Local-time ISO strings, so the shown clock times do not depend on the zone. */
const at = (h: number, m: number, s: number) => new Date(2026, 10, 23, h, m, s).toISOString();

const ITEMS: QuarantineItem[] = [
  {
    account_id: 'acc-2',
    account_name: 'CashWeb live',
    item: 'tx-9001',
    error: 'amount: expected a decimal string, found null',
    raw: '{"id":"tx-9001","amount":null,"status":"confirmed"}',
    first_at: at(9, 15, 0),
    last_at: at(9, 45, 30),
    times: 4,
  },
  {
    account_id: 'acc-2',
    account_name: 'CashWeb live',
    item: 'sha256:0badc0ffee123456',
    error: 'missing field `id`',
    raw: '{"amount":"100.00"}',
    first_at: at(9, 10, 0),
    last_at: at(9, 10, 0),
    times: 1,
  },
];

describe('quarantine banner', () => {
  it('is absent while nothing is set aside', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await waitFor(() => expect(fake.callsTo('quarantined')).toHaveLength(1));
    expect(screen.queryByTestId('quarantine-banner')).toBeNull();
  });

  it('counts the set-aside items and lists each one on Details', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.quarantine = structuredClone(ITEMS);
    await renderApp(fake);
    const banner = await screen.findByTestId('quarantine-banner');
    expect(within(banner).getByRole('status').textContent).toContain(
      'CashWeb sent 2 transactions Cashdesk could not read — set aside; the rest of the feed goes on.',
    );
    expect(within(banner).queryAllByTestId('quarantine-item')).toHaveLength(0);

    const toggle = within(banner).getByRole('button', { name: 'Details' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Hide');

    const items = within(banner).getAllByTestId('quarantine-item');
    expect(items).toHaveLength(2);
    ITEMS.forEach((q, i) => {
      expect(items[i].textContent).toContain(q.account_name);
      expect(within(items[i]).getByTestId('quarantine-id').textContent).toBe(q.item);
      expect(within(items[i]).getByTestId('quarantine-error').textContent).toBe(q.error);
      expect(within(items[i]).getByTestId('quarantine-raw').textContent).toBe(q.raw);
    });
    const when = within(items[0]).getByTestId('quarantine-when');
    expect(when.textContent).toContain('4×');
    expect(when.textContent).toContain('2026-11-23 09:15:00');
    expect(when.textContent).toContain('09:45:30');
    expect(within(items[1]).getByTestId('quarantine-when').textContent?.trim()).toBe('2026-11-23 09:10:00');

    await fireEvent.click(toggle);
    expect(within(banner).queryAllByTestId('quarantine-item')).toHaveLength(0);
  });

  it('appears when a change says an item was set aside', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await waitFor(() => expect(fake.callsTo('quarantined')).toHaveLength(1));
    fake.quarantine = [structuredClone(ITEMS[0])];
    fake.emit({});
    const banner = await screen.findByTestId('quarantine-banner');
    expect(banner.textContent).toContain('CashWeb sent 1 transaction Cashdesk could not read');
  });
});

describe('reject refused by CashWeb', () => {
  it('shows why and keeps the dialog open', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    const message =
      "CashWeb shows the customer's deposit confirmed (2 of 2 confirmations): approve to credit it; Cashdesk will not cancel a paid deposit";
    fake.reject = () => Promise.reject({ code: 'invalid_input', message });
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    await fireEvent.click(screen.getByTestId('reject'));
    await fireEvent.input(await screen.findByTestId('reject-reason'), { target: { value: 'no such TrxID' } });
    await fireEvent.click(screen.getByTestId('reject-confirm'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain(message);
    const dialog = screen.getByRole('dialog', { name: 'Reject request' });
    expect(within(dialog).getByTestId('reject-refused').textContent).toBe(message);
    expect((within(dialog).getByTestId('reject-reason') as HTMLTextAreaElement).value).toBe('no such TrxID');
    expect((within(dialog).getByTestId('reject-confirm') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId('detail-status').textContent).toBe('pending');
  });
});
