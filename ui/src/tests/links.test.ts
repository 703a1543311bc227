import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LinkView } from '../lib/bindings/LinkView';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

const at = (h: number, m: number) => {
  const d = new Date();
  d.setHours(h, m, 0, 0);
  return d.toISOString();
};

function link(over: Partial<LinkView> & Pick<LinkView, 'account_id' | 'state'>): LinkView {
  return {
    account_name: `Account ${over.account_id}`,
    provider_label: 'Zexabit',
    since: null,
    detail: '',
    ...over,
  };
}

describe('connection strip', () => {
  it('names each account and its state in words, with the detail for screen readers', async () => {
    const fake = new FakeBackend();
    fake.links = [
      link({ account_id: 'acc-1', account_name: 'Zexabit live', state: 'online', since: at(8, 0), detail: 'Connected to Zexabit' }),
      link({ account_id: 'acc-2', account_name: 'Paykassma BD', state: 'offline', since: at(0, 3), detail: 'connection refused' }),
      link({ account_id: 'acc-3', account_name: 'Zimo MX', state: 'refusing', since: at(9, 15), detail: 'UNAUTHORIZED — Invalid API key' }),
      link({ account_id: 'acc-4', account_name: 'CashWeb', state: 'unknown' }),
    ];
    await renderApp(fake);
    const strip = await screen.findByRole('list', { name: 'Provider connections' });
    expect(within(strip).getAllByRole('listitem')).toHaveLength(4);

    const online = screen.getByTestId('link-acc-1');
    expect(online.getAttribute('data-state')).toBe('online');
    expect(online.textContent).toContain('Zexabit live');
    expect(online.textContent).toContain('online');
    expect(online.getAttribute('title')).toContain('Connected to Zexabit');

    const offline = screen.getByTestId('link-acc-2');
    expect(offline.getAttribute('data-state')).toBe('offline');
    expect(offline.textContent).toContain('offline since 00:03');

    const refusing = screen.getByTestId('link-acc-3');
    expect(refusing.getAttribute('data-state')).toBe('refusing');
    expect(refusing.textContent).toContain('answering with an error');
    expect(refusing.getAttribute('title')).toContain('UNAUTHORIZED — Invalid API key');
    // The detail is read out too, not only shown on hover.
    expect(refusing.querySelector('.visually-hidden')?.textContent).toContain('UNAUTHORIZED — Invalid API key');

    const unknown = screen.getByTestId('link-acc-4');
    expect(unknown.getAttribute('data-state')).toBe('unknown');
    expect(unknown.textContent).toContain('not checked yet');
  });

  it('reloads when a change says links (or accounts) changed, not otherwise', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('link-acc-1').getAttribute('data-state')).toBe('online'));
    expect(fake.callsTo('list_links')).toHaveLength(1);

    fake.links = [{ ...fake.links[0], state: 'offline', since: at(12, 3), detail: 'timed out' }];
    fake.emit({ drafts: true });
    await waitFor(() => expect(fake.callsTo('list_drafts').length).toBeGreaterThan(1));
    expect(fake.callsTo('list_links')).toHaveLength(1);

    fake.emit({ links: true });
    await waitFor(() => expect(screen.getByTestId('link-acc-1').getAttribute('data-state')).toBe('offline'));
    expect(screen.getByTestId('link-acc-1').textContent).toContain('offline since 12:03');

    fake.links.push(link({ account_id: 'acc-2', account_name: 'Zimo MX', state: 'unknown' }));
    fake.emit({ accounts: true });
    await waitFor(() => expect(screen.getByTestId('link-acc-2').textContent).toContain('not checked yet'));
  });
});

describe('waiting to send', () => {
  it('explains an approved request held back by an offline account', async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'approved' })]);
    fake.links = [link({ account_id: 'acc-1', account_name: 'Zexabit sandbox', state: 'offline', since: at(12, 3) })];
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-in_flight'));
    const note = await screen.findByTestId('detail-waiting');
    expect(note.textContent).toBe(
      'Waiting to send: Zexabit sandbox is offline since 12:03. It goes out by itself when the connection returns; nothing to do.',
    );
  });

  it('gives the provider’s error when it is refusing', async () => {
    const fake = new FakeBackend([makeRequest(1, { status: 'approved' })]);
    fake.links = [link({ account_id: 'acc-1', state: 'refusing', detail: 'UNAUTHORIZED — Invalid API key' })];
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('tab-in_flight'));
    const note = await screen.findByTestId('detail-waiting');
    expect(note.textContent).toBe(
      'Waiting to send: Zexabit answers with an error: UNAUTHORIZED — Invalid API key. It goes out once that is fixed.',
    );
  });

  it('says nothing while the account is online, or for requests not waiting to send', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.links = [link({ account_id: 'acc-1', state: 'offline', since: at(12, 3) })];
    await renderApp(fake);
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('pending'));
    expect(screen.queryByTestId('detail-waiting')).toBeNull();

    // Approved while offline: the note appears; back online: it goes.
    const r = fake.requests[0];
    r.summary = { ...r.summary, status: 'approved', status_label: 'waiting to send' };
    r.can_decide = false;
    fake.emit({ requests: ['req-1'] });
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('waiting to send'));
    await screen.findByTestId('detail-waiting');
    fake.links = [{ ...fake.links[0], state: 'online' }];
    fake.emit({ links: true });
    await waitFor(() => expect(screen.queryByTestId('detail-waiting')).toBeNull());
  });
});
