import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

describe('app', () => {
  it('counts new requests in the title while unfocused and resets on focus', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    const { desk } = await renderApp(fake, { focused: false });
    await waitFor(() => expect(document.title).toBe('Cashdesk'));
    fake.requests.push(makeRequest(2), makeRequest(3));
    fake.emit({ requests: ['req-2', 'req-3'], new_requests: 2 });
    await waitFor(() => expect(document.title).toBe('(2) Cashdesk'));
    fake.emit({ new_requests: 1 });
    await waitFor(() => expect(document.title).toBe('(3) Cashdesk'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(3));
    await fireEvent.focus(window);
    await waitFor(() => expect(document.title).toBe('Cashdesk'));
    desk.hasFocus = () => true;
    fake.emit({ new_requests: 1 });
    await Promise.resolve();
    expect(document.title).toBe('Cashdesk');
  });

  it('refetches the selected request when it changes', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('pending'));
    const r = fake.requests[0];
    r.summary = { ...r.summary, status: 'approved', status_label: 'waiting to send' };
    r.can_decide = false;
    fake.emit({ requests: ['req-1'] });
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('waiting to send'));
  });

  it('hides the sandbox badge outside sandbox mode', async () => {
    const fake = new FakeBackend();
    fake.info = { ...fake.info, sandbox: false };
    await renderApp(fake);
    await waitFor(() => expect(fake.callsTo('app_info')).toHaveLength(1));
    expect(screen.queryByTestId('sandbox-banner')).toBeNull();
  });
});
