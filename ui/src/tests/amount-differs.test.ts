import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

/** A deposit of 100.00 BDT the provider settled at 80.00 BDT. */
async function differing() {
  const r = makeRequest(1, { status: 'amount_differs', status_label: 'amount differs — needs a person' });
  r.settled = { amount: '80.00', currency: 'BDT' };
  r.settled_display = '80.00 BDT';
  const fake = new FakeBackend([r]);
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('tab-attention'));
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
  return fake;
}

describe('amount differs', () => {
  it('is in Needs attention and the detail shows both amounts', async () => {
    await differing();
    const line = screen.getByTestId('detail-settled');
    expect(line.textContent).toContain('Requested 100.00 BDT');
    expect(line.textContent).toContain('Zexabit settled 80.00 BDT');
    expect(screen.getByTestId('detail-status').textContent).toContain('amount differs');
  });

  it('offers one settlement: accept what the provider settled', async () => {
    await differing();
    await fireEvent.click(screen.getByTestId('settle'));
    const dialog = await screen.findByRole('dialog', { name: 'Settle request' });
    expect(within(dialog).getByTestId('settle-differs').textContent).toContain('settled 80.00 BDT');
    const radios = within(dialog).getAllByRole('radio');
    expect(radios).toHaveLength(1);
    expect(radios[0].closest('label')?.textContent).toContain('Accept 80.00 BDT');
  });

  it('is not shown for a request settled at the amount asked', async () => {
    const r = makeRequest(2, { status: 'completed' });
    r.settled = r.summary.money;
    r.settled_display = r.summary.amount_display;
    await renderApp(new FakeBackend([r]));
    await fireEvent.click(screen.getByTestId('tab-done'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.queryByTestId('detail-settled')).toBeNull();
  });
});
