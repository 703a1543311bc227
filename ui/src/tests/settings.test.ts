import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

async function openAddForm(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('settings'));
  await fireEvent.click(await screen.findByTestId('account-add'));
  await screen.findByTestId('account-provider');
}

const input = (testid: string) => screen.getByTestId(testid) as HTMLInputElement;
const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });

async function fillZexabit(fake: FakeBackend) {
  await openAddForm(fake);
  expect((screen.getByTestId('account-provider') as HTMLSelectElement).value).toBe('zexabit');
  expect(input('account-base-url').value).toBe('https://api.portal.zexabit.com');
  expect(input('account-secret-api_key').type).toBe('password');
  expect(input('account-secret-webhook_secret').type).toBe('password');
  expect(screen.queryByTestId('account-secret-login')).toBeNull();
  await type('account-name', 'Zexabit live');
  await type('account-secret-api_key', 'k-123');
  await type('account-secret-webhook_secret', 's-456');
}

describe('settings', () => {
  it('lists accounts with a sandbox tag', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('settings'));
    const rows = await screen.findAllByTestId('account-row');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain('sandbox');
    expect(screen.getAllByText('Secrets are stored in the system keychain, never on disk.').length).toBeGreaterThan(0);
  });

  it('shows the keychain_unavailable message when nothing was stored', async () => {
    const fake = new FakeBackend();
    fake.addAccountError = {
      code: 'keychain_unavailable',
      message: 'The system keychain is locked: nothing was stored. Unlock it and try again.',
    };
    await fillZexabit(fake);
    await fireEvent.click(screen.getByTestId('account-save'));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('The system keychain is locked: nothing was stored.');
    expect(banner.classList.contains('keychain')).toBe(true);
    expect(screen.getByTestId('account-name')).toBeTruthy();
  });

  it('adds and removes (confirmed) an account', async () => {
    const fake = new FakeBackend();
    await fillZexabit(fake);
    await fireEvent.click(screen.getByTestId('account-save'));
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
    expect(fake.callsTo('add_account')[0][0]).toEqual({
      provider: 'zexabit',
      name: 'Zexabit live',
      base_url: 'https://api.portal.zexabit.com',
      secrets: [
        { name: 'api_key', value: 'k-123' },
        { name: 'webhook_secret', value: 's-456' },
      ],
      settings: [],
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Remove account Zexabit live' }));
    expect(fake.callsTo('remove_account')).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1));
    expect(fake.callsTo('remove_account')).toEqual([['acc-2']]);
  });

  it('asks for the Zimo-pagos fields and sends them as named values', async () => {
    const fake = new FakeBackend();
    await openAddForm(fake);
    await fireEvent.change(screen.getByTestId('account-provider'), { target: { value: 'zimo_pagos' } });
    expect(input('account-base-url').value).toBe('https://api-stg.zimo-pagos.com');
    expect(screen.queryByTestId('account-secret-api_key')).toBeNull();
    for (const name of ['login', 'pass', 'signing_secret']) {
      expect(input(`account-secret-${name}`).type).toBe('password');
    }
    expect(input('account-setting-notification_url').type).toBe('text');
    expect(input('account-setting-card_base_url').type).toBe('text');
    expect(screen.getByText('Signing secret')).toBeTruthy();
    expect(screen.getByText('Key of the Payload-Signature HMAC')).toBeTruthy();
    expect(screen.getAllByText('Secrets are stored in the system keychain, never on disk.').length).toBe(2);

    const save = screen.getByTestId('account-save') as HTMLButtonElement;
    await type('account-name', 'Zimo MX');
    await type('account-secret-login', 'merchant-7');
    await type('account-secret-pass', 'p-789');
    await type('account-setting-notification_url', 'https://desk.example.com/notifications/zimo-pagos/x');
    expect(save.disabled).toBe(true);
    await type('account-secret-signing_secret', 'sig-000');
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
    expect(fake.callsTo('add_account')[0][0]).toEqual({
      provider: 'zimo_pagos',
      name: 'Zimo MX',
      base_url: 'https://api-stg.zimo-pagos.com',
      secrets: [
        { name: 'login', value: 'merchant-7' },
        { name: 'pass', value: 'p-789' },
        { name: 'signing_secret', value: 'sig-000' },
      ],
      settings: [
        { name: 'notification_url', value: 'https://desk.example.com/notifications/zimo-pagos/x' },
        { name: 'card_base_url', value: '' },
      ],
    });
    expect(screen.getAllByTestId('account-row')[1].textContent).toContain('Zimo-pagos');
  });

  it('keeps a typed base URL when the provider changes', async () => {
    const fake = new FakeBackend();
    await openAddForm(fake);
    await type('account-base-url', 'http://127.0.0.1:7502');
    await fireEvent.change(screen.getByTestId('account-provider'), { target: { value: 'zimo_pagos' } });
    expect(input('account-base-url').value).toBe('http://127.0.0.1:7502');
  });
});

describe('check connection', () => {
  it('shows what the provider said, and a refusal in its own words', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('settings'));
    const buttons = await screen.findAllByTestId('account-check');
    await fireEvent.click(buttons[0]);
    await waitFor(() => expect(screen.getByTestId('account-check-result').textContent).toContain('Connected to'));
    fake.checkConnection = () => Promise.reject({ code: 'provider', message: 'Zexabit refused the request: UNAUTHORIZED — Invalid API key' });
    await fireEvent.click(buttons[0]);
    await waitFor(() =>
      expect(screen.getByTestId('account-check-result').textContent).toContain('UNAUTHORIZED — Invalid API key'),
    );
  });
});
