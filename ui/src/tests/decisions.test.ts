import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

async function ready(fake: FakeBackend, id = 'req-1') {
  await renderApp(fake);
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe(id));
}

describe('reject', () => {
  it('picks a usual reason by its number, from the keyboard only', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2, { kind: 'withdrawal' })]);
    await ready(fake);
    await fireEvent.keyDown(window, { key: 'r' });
    const reason = (await screen.findByTestId('reject-reason')) as HTMLTextAreaElement;
    expect(screen.getAllByTestId('reject-template').map((b) => b.textContent?.trim())).toEqual([
      '1 TrxID not found in the statement',
      '2 Amount does not match the payment received',
      '3 TrxID already used for another deposit',
      '4 Screenshot is not a payment receipt',
    ]);
    await fireEvent.keyDown(reason, { key: '3' });
    expect(reason.value).toBe('TrxID already used for another deposit');
    // Once there is text, digits are typed as digits.
    await fireEvent.keyDown(reason, { key: '1' });
    expect(reason.value).toBe('TrxID already used for another deposit');
    await fireEvent.keyDown(reason, { key: 'Enter' });
    await waitFor(() =>
      expect(fake.callsTo('reject')).toEqual([['req-1', 'TrxID already used for another deposit']]),
    );
    // The next one is a withdrawal: its own usual reasons.
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    await fireEvent.keyDown(window, { key: 'r' });
    await screen.findByTestId('reject-reason');
    expect(screen.getAllByTestId('reject-template')[1].textContent).toContain('Customer asked to cancel');
  });

  it('requires a reason: confirm is disabled while it is empty', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2)]);
    await ready(fake);
    await fireEvent.keyDown(window, { key: 'r' });
    const reason = (await screen.findByTestId('reject-reason')) as HTMLTextAreaElement;
    const confirm = screen.getByTestId('reject-confirm') as HTMLButtonElement;
    await waitFor(() => expect(document.activeElement).toBe(reason));
    expect(confirm.disabled).toBe(true);

    await fireEvent.input(reason, { target: { value: '   ' } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.keyDown(reason, { key: 'Enter' });
    expect(fake.callsTo('reject')).toEqual([]);

    await fireEvent.input(reason, { target: { value: 'TrxID not found in wallet' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.keyDown(reason, { key: 'Enter' });
    await waitFor(() => expect(fake.callsTo('reject')).toEqual([['req-1', 'TrxID not found in wallet']]));
    await waitFor(() => expect(screen.queryByTestId('reject-reason')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
  });

  it('Esc cancels without rejecting', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await ready(fake);
    await fireEvent.click(screen.getByTestId('reject'));
    const reason = await screen.findByTestId('reject-reason');
    await fireEvent.input(reason, { target: { value: 'dup' } });
    await fireEvent.keyDown(reason, { key: 'Escape' });
    expect(screen.queryByTestId('reject-reason')).toBeNull();
    expect(fake.callsTo('reject')).toEqual([]);
  });

  it('shows the decided request when it was the last one', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await ready(fake);
    await fireEvent.click(screen.getByTestId('reject'));
    await fireEvent.input(await screen.findByTestId('reject-reason'), { target: { value: 'fake proof' } });
    await fireEvent.click(screen.getByTestId('reject-confirm'));
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('rejected'));
    expect(screen.getByTestId('detail').getAttribute('data-status')).toBe('rejected');
    expect(screen.getAllByTestId('history-item')).toHaveLength(2);
  });
});

describe('errors and settle', () => {
  it('shows an ApiError message as given', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.approve = () => Promise.reject({ code: 'not_allowed', message: 'Already decided by Bilal.' });
    await ready(fake);
    await fireEvent.click(screen.getByTestId('approve'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('Already decided by Bilal.');
    expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1');
  });

  it('settles with an outcome, a required note and a confirmation', async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'outcome_unknown' })]);
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-attention'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    await fireEvent.click(screen.getByTestId('settle'));
    const next = screen.getByRole('button', { name: 'Continue…' }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText(/Completed/));
    expect(next.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText(/Note/), { target: { value: 'Zexabit support confirmed' } });
    expect(next.disabled).toBe(false);
    await fireEvent.click(next);
    expect(fake.callsTo('settle')).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Settle as Completed' }));
    await waitFor(() =>
      expect(fake.callsTo('settle')).toEqual([['req-1', 'completed', 'Zexabit support confirmed']]),
    );
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('completed'));
  });
});

describe('a failed request', () => {
  it('can be sent again once its cause is fixed', async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'failed' })]);
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-attention'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    const again = screen.getByTestId('approve');
    expect(again.textContent).toContain('Send again');
    await fireEvent.click(again);
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-1']]));
  });
});

describe('settle with a candidate', () => {
  it("shows the provider's unmatched events and settles from the one picked", async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'outcome_unknown' })]);
    fake.candidates['req-1'] = [
      {
        event_key: 'deposit.completed:dep_7',
        received_at: '2026-11-23T07:50:00+00:00',
        txn_id: 'dep_7',
        status: 'completed',
        amount: '500',
        method: 'bkash',
        user_id: 'u1',
        fits: ['same user', 'same amount', 'same method'],
        note: '2 requests could match dep_7: left for a supervisor',
      },
    ];
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-attention'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    await fireEvent.click(screen.getByTestId('settle'));
    const row = await screen.findByTestId('candidate');
    expect(row.textContent).toContain('dep_7');
    expect(row.textContent).toContain('same user, same amount, same method');
    await fireEvent.click(screen.getByTestId('candidate-use'));
    expect(fake.callsTo('settle_with_candidate')).toEqual([]);
    await fireEvent.click(screen.getByTestId('candidate-confirm'));
    await waitFor(() =>
      expect(fake.callsTo('settle_with_candidate')).toEqual([['req-1', 'deposit.completed:dep_7']]),
    );
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('completed'));
  });
});

describe('check with provider', () => {
  it('is offered for an unknown outcome and asks the backend for that request', async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'outcome_unknown' })]);
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-attention'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    const check = await screen.findByTestId('check-provider');
    expect(check.textContent).toContain('Check with Zexabit');
    await fireEvent.click(check);
    await waitFor(() => expect(fake.callsTo('check_with_provider')).toEqual([['req-1']]));
  });

  it('is not offered while a request waits for a decision', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await ready(fake);
    expect(screen.queryByTestId('check-provider')).toBeNull();
  });
});

describe('focus after a decision', () => {
  const selectedRow = () => screen.getAllByTestId('queue-row').find((r) => r.getAttribute('aria-selected') === 'true');

  it('stays on the queue: the next request\'s row has it after `a` removes the decided row, and after a rejection', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2), makeRequest(3)]);
    await ready(fake);
    selectedRow()!.focus();
    expect(document.activeElement?.getAttribute('data-id')).toBe('req-1');
    await fireEvent.keyDown(document.activeElement!, { key: 'a' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-id')).toBe('req-2'));

    await fireEvent.keyDown(document.activeElement!, { key: 'r' });
    const reason = (await screen.findByTestId('reject-reason')) as HTMLTextAreaElement;
    await fireEvent.keyDown(reason, { key: '1' });
    await fireEvent.keyDown(reason, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-3'));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-id')).toBe('req-3'));
  });
});
