import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../lib/i18n';
import { FakeBackend, makeRequest } from './fake';
import { riskOf } from './fake-policy';
import { renderApp } from './render';

afterEach(() => {
  setLocale('en');
  localStorage.clear();
});

/** A request id as the core makes them (UUIDv7): the banner shows its last eight characters. */
const OTHER = '0190f3a2-7c1e-7a55-9d2b-3c4d5e6f7a8b';

async function ready(fake: FakeBackend, id = 'req-1') {
  await renderApp(fake);
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe(id));
}

const banners = () => screen.queryAllByTestId('risk-banner');

describe('risk banners', () => {
  it('says each signal in words, naming the other request, its status, when and who decided it', async () => {
    const r = makeRequest(1);
    r.risk = [
      riskOf('same_reference', OTHER, { count: 2 }),
      riskOf('same_screenshot', 'req-3', { other_status: 'completed', other_status_label: 'completed', other_by: null }),
      riskOf('similar_screenshot', 'req-3', { distance: 6 }),
      riskOf('recent_rejections', 'req-3', { count: 3 }),
      riskOf('many_requests', 'req-2', { count: 4, other_status: 'pending', other_status_label: 'pending', other_by: null }),
    ];
    const fake = new FakeBackend([r, makeRequest(2), makeRequest(3, { status: 'rejected' }), makeRequest(4, { id: OTHER, status: 'rejected' })]);
    await ready(fake);
    const shown = banners();
    expect(shown.map((b) => b.getAttribute('data-kind'))).toEqual([
      'same_reference',
      'same_screenshot',
      'similar_screenshot',
      'recent_rejections',
      'many_requests',
    ]);
    for (const b of shown) expect(b.getAttribute('role')).toBe('alert');
    const text = shown.map((b) => b.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    expect(text[0]).toContain('The same reference is on 2 other requests');
    expect(text[0]).toContain('First of them: request 5e6f7a8b');
    expect(text[0]).toContain('rejected');
    expect(text[0]).toContain('arrived 1 h ago');
    expect(text[0]).toContain('decided by Bilal');
    expect(text[1]).toContain('The same screenshot is on another request');
    expect(text[1]).toContain('Request req-3');
    expect(text[1]).toContain('completed');
    expect(text[1]).not.toContain('decided by');
    expect(text[2]).toContain("re-saved or resized copy of another request’s");
    expect(text[2]).toContain('6 bits apart');
    expect(text[3]).toContain('This customer had 3 requests rejected in the last 7 days');
    expect(text[3]).toContain('Latest: request req-3');
    expect(text[4]).toContain('This customer sent 4 requests in the hour before this one');
    expect(text[4]).toContain('pending');
    // The full id is there for whoever needs it.
    expect(within(shown[0]).getByTitle(OTHER)).toBeTruthy();
    // Nothing blocks: approving stays open.
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(false);
    expect(shown.some((b) => b.getAttribute('data-blocking') === 'true')).toBe(false);
  });

  it('an amount outside its method\'s limits is said, with the limit, and names no other request', async () => {
    const low = makeRequest(1);
    low.outside_limits = { method: 'bKash', min: { amount: '100', currency: 'BDT' }, max: { amount: '25000', currency: 'BDT' }, below: true };
    const high = makeRequest(2);
    high.outside_limits = { ...low.outside_limits, below: false };
    const fake = new FakeBackend([low, high]);
    await ready(fake);
    const [b] = banners();
    expect(b.getAttribute('data-kind')).toBe('outside_limits');
    expect(b.getAttribute('role')).toBe('alert');
    const text = b.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    expect(text).toMatch(/is below the smallest amount bKash takes \(.*100.*\)/);
    expect(within(b).queryByTestId('risk-open')).toBeNull();
    // A warning, not a block: approving stays open.
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(banners()[0].textContent).toMatch(/is above the largest amount bKash takes \(.*25,000.*\)/);
  });

  it('"Open" shows the other request in the detail, on the tab that holds it', async () => {
    const r = makeRequest(1);
    r.risk = [riskOf('same_reference', OTHER)];
    const fake = new FakeBackend([r, makeRequest(2), makeRequest(4, { id: OTHER, status: 'rejected' })]);
    await ready(fake);
    const open = within(banners()[0]).getByTestId('risk-open');
    expect(open.getAttribute('aria-label')).toBe('Open request 5e6f7a8b');
    await fireEvent.click(open);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe(OTHER));
    expect(screen.getByTestId('tab-done').getAttribute('aria-selected')).toBe('true');
    expect(fake.callsTo('get_request').some(([id]) => id === OTHER)).toBe(true);
  });

  it('a blocking duplicate disables Approve, with the reason beside it, and leaves Reject open', async () => {
    const r = makeRequest(1);
    r.risk = [riskOf('same_reference', 'req-2', { other_status: 'approved', other_status_label: 'waiting to send', blocking: true })];
    r.approve_blocked = 'The same TrxID is on another deposit still going through: reject one of the two.';
    const fake = new FakeBackend([r, makeRequest(2, { status: 'approved' })]);
    await ready(fake);
    const banner = banners()[0];
    expect(banner.getAttribute('data-blocking')).toBe('true');
    expect(banner.classList.contains('blocking')).toBe(true);
    expect(banner.textContent).toContain('Approving is blocked');

    const approve = screen.getByTestId('approve') as HTMLButtonElement;
    const reject = screen.getByTestId('reject') as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    expect(reject.disabled).toBe(false);
    const why = screen.getByTestId('approve-blocked');
    expect(why.textContent).toBe(r.approve_blocked);
    expect(approve.getAttribute('aria-describedby')).toBe(why.id);

    // `a` does nothing; `r` rejects as ever.
    await fireEvent.keyDown(window, { key: 'a' });
    expect(fake.callsTo('approve')).toEqual([]);
    expect(screen.queryByTestId('approve-confirm')).toBeNull();
    await fireEvent.keyDown(window, { key: 'r' });
    const reason = await screen.findByTestId('reject-reason');
    await fireEvent.keyDown(reason, { key: '3' });
    await fireEvent.keyDown(reason, { key: 'Enter' });
    await waitFor(() => expect(fake.callsTo('reject')).toEqual([['req-1', 'TrxID already used for another deposit']]));
  });
});

describe('confirming a large approval', () => {
  function large() {
    const r = makeRequest(1, { money: { amount: '25000.00', currency: 'BDT' }, amount_display: '25,000.00 BDT' });
    r.confirm_from = { amount: '20000.00', currency: 'BDT' };
    return r;
  }

  it('asks first; Enter confirms and the core hears confirmed', async () => {
    const fake = new FakeBackend([large(), makeRequest(2)]);
    await ready(fake);
    await fireEvent.keyDown(window, { key: 'a' });
    const ask = await screen.findByTestId('approve-confirm');
    expect(ask.textContent?.replace(/\s+/g, ' ')).toContain(
      'Approve 25,000.00 BDT? Press Enter (or a) to confirm, Escape to cancel',
    );
    expect(ask.textContent).toContain('From 20,000.00 BDT on, approving takes a confirmation.');
    const yes = screen.getByTestId('approve-confirm-yes');
    await waitFor(() => expect(document.activeElement).toBe(yes));
    expect(fake.callsTo('approve')).toEqual([]);

    await fireEvent.keyDown(yes, { key: 'Enter' });
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-1', true]]));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.queryByTestId('approve-confirm')).toBeNull();
  });

  it('Escape cancels without a call; the button asks too, and `a` again confirms', async () => {
    const fake = new FakeBackend([large(), makeRequest(2)]);
    await ready(fake);
    const approve = screen.getByTestId('approve');
    await fireEvent.click(approve);
    const yes = await screen.findByTestId('approve-confirm-yes');
    await waitFor(() => expect(document.activeElement).toBe(yes));
    await fireEvent.keyDown(yes, { key: 'Escape' });
    expect(screen.queryByTestId('approve-confirm')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(approve));
    expect(fake.callsTo('approve')).toEqual([]);
    expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-1');

    await fireEvent.keyDown(window, { key: 'a' });
    await screen.findByTestId('approve-confirm');
    expect(fake.callsTo('approve')).toEqual([]);
    await fireEvent.keyDown(window, { key: 'a' });
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-1', true]]));
  });

  it('moving to another request drops the question', async () => {
    const fake = new FakeBackend([large(), makeRequest(2)]);
    await ready(fake);
    await fireEvent.keyDown(window, { key: 'a' });
    await screen.findByTestId('approve-confirm');
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.queryByTestId('approve-confirm')).toBeNull();
    // Below any threshold: approved at once, unconfirmed.
    await fireEvent.keyDown(window, { key: 'a' });
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-2']]));
  });

  it('asks when the core refuses with needs_confirmation (the threshold changed meanwhile)', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2)]);
    await ready(fake);
    fake.policy.policy.confirm_above = [{ amount: '50.00', currency: 'BDT' }];
    await fireEvent.click(screen.getByTestId('approve'));
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-1']]));
    const ask = await screen.findByTestId('approve-confirm');
    expect(ask.textContent).toContain('Approve 100.00 BDT?');
    expect(screen.queryByTestId('error-banner')).toBeNull();
    expect(screen.getByTestId('detail').getAttribute('data-status')).toBe('pending');
    await fireEvent.keyDown(screen.getByTestId('approve-confirm-yes'), { key: 'Enter' });
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-1'], ['req-1', true]]));
  });
});
