import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

describe('audit log', () => {
  it('shows the first bad entry when the chain does not verify', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('supervisor'));
    await fireEvent.click(await screen.findByTestId('sv-tab-audit'));
    fake.audit = { ok: false, entries: 0, keyed: 0, unverified: 0, message: 'audit log entry 7 does not match its chain' };
    await fireEvent.click(await screen.findByTestId('audit-verify'));
    const result = await screen.findByTestId('audit-result');
    await waitFor(() => expect(result.textContent).toContain('entry 7'));
    expect(result.dataset.ok).toBe('false');
    expect(fake.callsTo('verify_audit')).toHaveLength(1);
  });
});
