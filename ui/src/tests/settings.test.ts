import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

async function openAddForm(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('settings'));
  await fireEvent.click(await screen.findByTestId('account-add'));
  expect((screen.getByTestId('account-base-url') as HTMLInputElement).value).toBe('https://api.portal.zexabit.com');
  expect((screen.getByTestId('account-api-key') as HTMLInputElement).type).toBe('password');
  expect((screen.getByTestId('account-webhook-secret') as HTMLInputElement).type).toBe('password');
  await fireEvent.input(screen.getByTestId('account-name'), { target: { value: 'Zexabit live' } });
  await fireEvent.input(screen.getByTestId('account-api-key'), { target: { value: 'k-123' } });
  await fireEvent.input(screen.getByTestId('account-webhook-secret'), { target: { value: 's-456' } });
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
    await openAddForm(fake);
    await fireEvent.click(screen.getByTestId('account-save'));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('The system keychain is locked: nothing was stored.');
    expect(banner.classList.contains('keychain')).toBe(true);
    expect(screen.getByTestId('account-name')).toBeTruthy();
  });

  it('adds and removes (confirmed) an account', async () => {
    const fake = new FakeBackend();
    await openAddForm(fake);
    await fireEvent.click(screen.getByTestId('account-save'));
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
    expect(fake.callsTo('add_account')[0][0]).toEqual({
      provider: 'zexabit',
      name: 'Zexabit live',
      base_url: 'https://api.portal.zexabit.com',
      api_key: 'k-123',
      webhook_secret: 's-456',
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Remove account Zexabit live' }));
    expect(fake.callsTo('remove_account')).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1));
    expect(fake.callsTo('remove_account')).toEqual([['acc-2']]);
  });
});
