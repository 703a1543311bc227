import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

async function openSettings(fake: FakeBackend) {
  await renderApp(fake);
  await fireEvent.click(screen.getByTestId('settings'));
  return screen.findByTestId('intake');
}

describe('intake API settings', () => {
  it('shows the URLs, where the token is kept, and the command that prints it', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    expect((await screen.findByTestId('intake-url')).textContent).toBe('http://127.0.0.1:7400/intake/v1/requests');
    expect(screen.getByTestId('intake-openapi').textContent).toBe('http://127.0.0.1:7400/intake/v1/openapi.json');
    expect(screen.getByTestId('intake-token-kept').textContent?.trim()).toBe('in the system keychain');
    expect(screen.getByTestId('intake-token-command').textContent).toBe(
      'secret-tool lookup service cashdesk username app:intake_token',
    );
    expect(screen.getByRole('button', { name: 'Copy intake URL' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy OpenAPI URL' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy command that prints the token' })).toBeTruthy();
  });

  it('says when the token is for this run only', async () => {
    const fake = new FakeBackend();
    fake.intake = { ...fake.intake, token_in_keychain: false, read_token_command: null };
    await openSettings(fake);
    await waitFor(() =>
      expect(screen.getByTestId('intake-token-kept').textContent?.trim()).toBe('for this run only — no keychain'),
    );
    expect(screen.queryByTestId('intake-token-command')).toBeNull();
  });

  it('rotates the token only after confirmation', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    await fireEvent.click(await screen.findByTestId('intake-rotate'));
    expect(screen.getByRole('alert').textContent).toBe("The operator's platform must be given the new token. Rotate?");
    await fireEvent.click(screen.getByRole('button', { name: 'Keep' }));
    expect(fake.callsTo('rotate_intake_token')).toEqual([]);

    await fireEvent.click(screen.getByTestId('intake-rotate'));
    await fireEvent.click(screen.getByTestId('intake-rotate-confirm'));
    await screen.findByTestId('intake-rotated');
    expect(fake.callsTo('rotate_intake_token')).toEqual([[]]);
    expect(screen.getByTestId('intake-token-command')).toBeTruthy();
  });

  it('shows why the intake is not available', async () => {
    const fake = new FakeBackend();
    fake.intakeInfo = () => Promise.reject({ code: 'not_found', message: 'The local HTTP server is not running' });
    await openSettings(fake);
    expect((await screen.findByTestId('intake-error')).textContent).toContain('The local HTTP server is not running');
    expect(screen.queryByTestId('intake-rotate')).toBeNull();
  });
});
