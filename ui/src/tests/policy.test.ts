import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

async function openSettings(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(await screen.findByTestId('settings'));
}

describe('reject reasons from the desk policy', () => {
  it('replace the built-in four for that kind, picked by their number', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2, { kind: 'withdrawal' })]);
    const reasons = ['Duplicate TrxID', 'Sender blocked', 'Wrong wallet', 'Late payment', 'Partial payment', 'Receipt edited'];
    fake.policy.policy.reject_reasons_deposit = reasons;
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    expect(fake.callsTo('desk_policy').length).toBeGreaterThan(0);

    await fireEvent.keyDown(window, { key: 'r' });
    const reason = (await screen.findByTestId('reject-reason')) as HTMLTextAreaElement;
    expect(screen.getAllByTestId('reject-template').map((b) => b.textContent?.trim())).toEqual(
      reasons.map((r, i) => `${i + 1} ${r}`),
    );
    expect(screen.getByText(/1–6 picks a usual reason/)).toBeTruthy();
    // Past the list, a digit is typed as a digit.
    await fireEvent.keyDown(reason, { key: '7' });
    expect(reason.value).toBe('');
    await fireEvent.keyDown(reason, { key: '6' });
    expect(reason.value).toBe('Receipt edited');
    await fireEvent.keyDown(reason, { key: 'Enter' });
    await waitFor(() => expect(fake.callsTo('reject')).toEqual([['req-1', 'Receipt edited']]));

    // Withdrawals have none of their own: the language's four.
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    await fireEvent.keyDown(window, { key: 'r' });
    await screen.findByTestId('reject-reason');
    expect(screen.getAllByTestId('reject-template')).toHaveLength(4);
    expect(screen.getAllByTestId('reject-template')[1].textContent).toContain('Customer asked to cancel');
  });
});

describe('Settings → Desk policy', () => {
  it('an admin saves exactly the policy typed, and the reject dialog follows it', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await openSettings(fake);
    const section = await screen.findByTestId('desk-policy');
    const s = within(section);
    await waitFor(() => expect(s.getByTestId('policy-block-duplicates')).toBeTruthy());
    await fireEvent.click(s.getByLabelText('Duplicate references block approval'));

    await fireEvent.click(s.getByTestId('policy-threshold-add'));
    await fireEvent.click(s.getByTestId('policy-threshold-add'));
    const currencies = s.getAllByTestId('policy-threshold-currency');
    const amounts = s.getAllByTestId('policy-threshold-amount');
    await type(currencies[0], 'bdt');
    await type(amounts[0], '25000');
    await type(currencies[1], 'USDT');
    await type(amounts[1], '1e3');
    await type(s.getByTestId('policy-reasons-deposit'), 'Duplicate TrxID\n\n  Receipt edited  \n');

    // A float-ish amount is refused here, before the core is asked.
    await fireEvent.click(s.getByTestId('policy-save'));
    expect(fake.callsTo('set_desk_policy')).toEqual([]);
    expect(s.getByTestId('policy-invalid')).toBeTruthy();
    expect(s.getByTestId('policy-threshold-error').textContent).toContain('An amount above zero');
    expect(amounts[1].getAttribute('aria-invalid')).toBe('true');
    await type(amounts[1], '0');
    await fireEvent.click(s.getByTestId('policy-save'));
    expect(fake.callsTo('set_desk_policy')).toEqual([]);
    await type(amounts[1], '1000.5');

    await fireEvent.click(s.getByTestId('policy-save'));
    await waitFor(() =>
      expect(fake.callsTo('set_desk_policy')).toEqual([
        [
          {
            block_duplicate_reference: true,
            confirm_above: [
              { amount: '25000', currency: 'BDT' },
              { amount: '1000.5', currency: 'USDT' },
            ],
            reject_reasons_deposit: ['Duplicate TrxID', 'Receipt edited'],
            reject_reasons_withdrawal: [],
          },
        ],
      ]),
    );
    await s.findByTestId('policy-saved');
    expect(screen.queryByTestId('error-banner')).toBeNull();

    // Saved: the reject dialog offers the admin's reasons at once.
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1'));
    await fireEvent.keyDown(window, { key: 'r' });
    await screen.findByTestId('reject-reason');
    expect(screen.getAllByTestId('reject-template').map((b) => b.textContent?.trim())).toEqual([
      '1 Duplicate TrxID',
      '2 Receipt edited',
    ]);
  });

  it('shows what is stored, removes a threshold, and a refusal as the core words it', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.policy.policy = {
      block_duplicate_reference: true,
      confirm_above: [
        { amount: '25000.00', currency: 'BDT' },
        { amount: '500.00', currency: 'USDT' },
      ],
      reject_reasons_deposit: [],
      reject_reasons_withdrawal: ['Customer cancelled', 'Wrong account'],
    };
    await openSettings(fake);
    const s = within(await screen.findByTestId('desk-policy'));
    await waitFor(() => expect(s.getAllByTestId('policy-threshold')).toHaveLength(2));
    expect((s.getByTestId('policy-block-duplicates') as HTMLInputElement).checked).toBe(true);
    expect(s.getAllByTestId('policy-threshold-amount').map((i) => (i as HTMLInputElement).value)).toEqual(['25000.00', '500.00']);
    expect((s.getByTestId('policy-reasons-withdrawal') as HTMLTextAreaElement).value).toBe('Customer cancelled\nWrong account');

    await fireEvent.click(s.getAllByTestId('policy-threshold-remove')[0]);
    fake.setDeskPolicy = (p) => {
      fake.calls.push({ name: 'set_desk_policy', args: [p] });
      return Promise.reject({ code: 'invalid_input', message: 'Reject reason "x": at most 200 characters' });
    };
    await fireEvent.click(s.getByTestId('policy-save'));
    await waitFor(() =>
      expect(fake.callsTo('set_desk_policy')).toEqual([
        [
          {
            block_duplicate_reference: true,
            confirm_above: [{ amount: '500.00', currency: 'USDT' }],
            reject_reasons_deposit: [],
            reject_reasons_withdrawal: ['Customer cancelled', 'Wrong account'],
          },
        ],
      ]),
    );
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('Reject reason "x": at most 200 characters');
    expect(s.queryByTestId('policy-saved')).toBeNull();
  });

  it('is hidden for an agent, who still gets the reasons', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.as('op-2');
    fake.policy.policy.reject_reasons_deposit = ['Duplicate TrxID'];
    await openSettings(fake);
    await screen.findByTestId('appearance');
    expect(screen.queryByTestId('desk-policy')).toBeNull();
    expect(fake.callsTo('desk_policy').length).toBeGreaterThan(0);
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });
});
