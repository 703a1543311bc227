import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });
const button = (testid: string) => screen.getByTestId(testid) as HTMLButtonElement;

async function openSettings(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('settings'));
}

const rowOf = (name: string) => screen.getAllByTestId('operator-row').find((r) => r.textContent?.includes(name))!;

describe('operators (admin)', () => {
  it('lists operators and adds one with roles and a PIN', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    await waitFor(() => expect(screen.getAllByTestId('operator-row')).toHaveLength(3));
    expect(rowOf('Asha').textContent).toContain('Agent, Supervisor, Admin');
    expect(rowOf('Bilal').textContent).toContain('PIN');

    await fireEvent.click(screen.getByTestId('operator-add'));
    await type('operator-name', 'Tania');
    await fireEvent.click(screen.getByTestId('operator-role-supervisor'));
    await fireEvent.change(screen.getByTestId('operator-login'), { target: { value: 'pin' } });
    expect(button('operator-save').disabled).toBe(true);
    await type('operator-secret', '13579');
    await fireEvent.click(button('operator-save'));
    await waitFor(() => expect(screen.getAllByTestId('operator-row')).toHaveLength(4));
    expect(fake.callsTo('add_operator')).toEqual([
      [{ name: 'Tania', roles: ['agent', 'supervisor'], login: 'pin', secret: '13579' }],
    ]);
    expect(rowOf('Tania').textContent).toContain('Agent, Supervisor');
    // The log-in list follows.
    await waitFor(() => expect(fake.callsTo('session').length).toBeGreaterThan(1));
  });

  it('disables and enables an operator, and resets a PIN', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    await waitFor(() => expect(screen.getAllByTestId('operator-row')).toHaveLength(3));
    await fireEvent.click(within(rowOf('Bilal')).getByTestId('operator-toggle'));
    await waitFor(() => expect(within(rowOf('Bilal')).getByTestId('operator-state').textContent).toBe('disabled'));
    expect(fake.callsTo('change_operator')[0]).toEqual([
      'op-2',
      { roles: null, disabled: true, login: null, secret: null },
    ]);
    await fireEvent.click(screen.getByRole('button', { name: 'Enable Bilal' }));
    await waitFor(() => expect(within(rowOf('Bilal')).getByTestId('operator-state').textContent).toBe('may log in'));

    await fireEvent.click(within(rowOf('Bilal')).getByTestId('operator-reset'));
    expect((screen.getByTestId('operator-reset-login') as HTMLSelectElement).value).toBe('pin');
    await type('operator-reset-secret', '8642');
    await fireEvent.click(button('operator-reset-save'));
    await waitFor(() =>
      expect(fake.callsTo('change_operator').at(-1)).toEqual(['op-2', { roles: null, disabled: null, login: 'pin', secret: '8642' }]),
    );
    expect(fake.desk.operators[1].secret).toBe('8642');
    await waitFor(() => expect(screen.queryByTestId('operator-reset-secret')).toBeNull());
  });

  it('shows a refused secret in the error banner', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    await waitFor(() => expect(screen.getAllByTestId('operator-row')).toHaveLength(3));
    await fireEvent.click(within(rowOf('Rina')).getByTestId('operator-reset'));
    await type('operator-reset-secret', 'short');
    await fireEvent.click(button('operator-reset-save'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('A password needs 8 to 128 characters');
  });

  it('sets the idle lock', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    await fireEvent.input(await screen.findByTestId('idle-lock-minutes'), { target: { value: '10' } });
    await fireEvent.click(button('idle-lock-save'));
    await waitFor(() => expect(fake.callsTo('set_idle_lock')).toEqual([[600]]));
  });
});

describe('approval thresholds (admin)', () => {
  it('adds and removes a rule', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    await screen.findByText('No thresholds: one approval sends any request.');
    await fireEvent.change(screen.getByTestId('rule-scope'), { target: { value: 'agent_day' } });
    await type('rule-threshold', '50000');
    await type('rule-currency', 'bdt');
    await fireEvent.change(screen.getByTestId('rule-kind'), { target: { value: 'withdrawal' } });
    await fireEvent.change(screen.getByTestId('rule-account'), { target: { value: 'acc-1' } });
    await fireEvent.click(button('rule-add'));
    const row = await screen.findByTestId('rule-row');
    expect(fake.callsTo('add_approval_rule')).toEqual([
      [
        {
          id: null,
          scope: 'agent_day',
          account_id: 'acc-1',
          kind: 'withdrawal',
          method: null,
          currency: 'BDT',
          threshold: '50000',
        },
      ],
    ]);
    expect(row.textContent).toContain("An agent's day");
    expect(row.textContent).toContain('Withdrawals · Zexabit sandbox');
    expect(row.textContent).toContain('50000 BDT');
    await fireEvent.click(screen.getByTestId('rule-remove'));
    await waitFor(() => expect(screen.queryByTestId('rule-row')).toBeNull());
    expect(fake.callsTo('remove_approval_rule')).toHaveLength(1);
  });
});

describe('settings for an agent', () => {
  it('shows the accounts read-only and nothing of an admin', async () => {
    const fake = new FakeBackend();
    fake.desk.as('op-2');
    await openSettings(fake);
    expect(await screen.findAllByTestId('account-row')).toHaveLength(1);
    expect(screen.getByTestId('accounts-read-only')).toBeTruthy();
    expect(screen.queryByTestId('account-add')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove account/ })).toBeNull();
    expect(screen.getAllByTestId('account-check')).toHaveLength(1);
    expect(screen.queryByTestId('operators')).toBeNull();
    expect(screen.queryByTestId('approval-rules')).toBeNull();
    expect(fake.callsTo('operators')).toEqual([]);
    expect(screen.queryByTestId('intake')).toBeNull();
    expect(fake.callsTo('intake_info')).toEqual([]);
  });
});
