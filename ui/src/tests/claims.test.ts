import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

const button = (testid: string) => screen.getByTestId(testid) as HTMLButtonElement;

async function ready(fake: FakeBackend, id = 'req-1') {
  const out = await renderApp(fake);
  await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe(id));
  return out;
}

describe('blocked', () => {
  it('disables Approve and Reject and says why beside them', async () => {
    const r = makeRequest(1);
    r.blocked = 'You entered this request at the desk: another operator approves it.';
    const fake = new FakeBackend([r]);
    await ready(fake);
    expect(button('approve').disabled).toBe(true);
    expect(button('reject').disabled).toBe(true);
    expect(screen.getByTestId('decide-blocked').textContent).toBe(
      'You entered this request at the desk: another operator approves it.',
    );
    await fireEvent.keyDown(window, { key: 'a' });
    await fireEvent.keyDown(window, { key: 'r' });
    expect(fake.callsTo('approve')).toEqual([]);
    expect(screen.queryByTestId('reject-reason')).toBeNull();
    // Nobody claims what they may not decide.
    expect(fake.callsTo('claim')).toEqual([]);
  });

  it("shows a refusal for the operator's role in the core's words", async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.approve = () =>
      Promise.reject({ code: 'needs_role', message: 'Needs a supervisor: giving the second approval.' });
    await ready(fake);
    await fireEvent.click(button('approve'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain(
      'Needs a supervisor: giving the second approval.',
    );
  });
});

describe('claims', () => {
  it('claims the request being decided and lets go when moving on', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2)]);
    await ready(fake);
    await waitFor(() => expect(fake.callsTo('claim')).toEqual([['req-1']]));
    expect(fake.desk.claims['req-1'].by).toBe('op-1');
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(fake.callsTo('claim')).toEqual([['req-1'], ['req-2']]));
    expect(fake.callsTo('release_claim')).toEqual([['req-1']]);
    expect(fake.desk.claims['req-1']).toBeUndefined();
    expect(screen.queryByTestId('claim-banner')).toBeNull();
  });

  it("says who is on it, and a supervisor may take it over", async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.claimedBy('req-1', 'op-2', new Date(2026, 0, 5, 9, 41));
    await ready(fake);
    const banner = await screen.findByTestId('claim-banner');
    expect(banner.textContent).toContain('Bilal is on it since');
    expect(banner.textContent).toContain('09:41');
    expect(button('approve').disabled).toBe(true);
    expect(screen.getByTestId('decide-blocked').textContent).toMatch(/^Bilal is on it \(since \d\d:\d\d UTC\)\.$/);
    expect(fake.callsTo('claim')).toEqual([]);

    await fireEvent.click(button('take-over'));
    await waitFor(() => expect(fake.callsTo('take_over')).toEqual([['req-1']]));
    await waitFor(() => expect(screen.queryByTestId('claim-banner')).toBeNull());
    expect(button('approve').disabled).toBe(false);
    expect(fake.desk.claims['req-1'].by).toBe('op-1');
  });

  it('offers no take-over to an agent', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.as('op-2');
    fake.desk.claimedBy('req-1', 'op-3');
    await ready(fake);
    expect((await screen.findByTestId('claim-banner')).textContent).toContain('Rina is on it since');
    expect(screen.queryByTestId('take-over')).toBeNull();
  });

  it("reads the request again when the claim is refused, showing who holds it", async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    const claim = fake.claim;
    fake.claim = (id: string) => {
      fake.desk.claimedBy(id, 'op-3');
      return claim(id);
    };
    await ready(fake);
    expect((await screen.findByTestId('claim-banner')).textContent).toContain('Rina is on it');
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });
});

describe('second approval', () => {
  const requests = () => [makeRequest(1), makeRequest(2, { status: 'awaiting_second_approval' })];

  it('is a tab only for those who may give it', async () => {
    const fake = new FakeBackend(requests());
    fake.desk.as('op-2');
    await ready(fake);
    expect(screen.queryByTestId('tab-second')).toBeNull();
    expect(screen.getByTestId('tab-queue')).toBeTruthy();
  });

  it('lists what waits for a supervisor, with its own Approve label', async () => {
    const fake = new FakeBackend(requests());
    fake.desk.as('op-3');
    await ready(fake);
    const tab = screen.getByTestId('tab-second');
    expect(tab.textContent).toContain('Second approval');
    expect(tab.textContent).toContain('1');
    expect(screen.getByTestId('tab-queue').textContent).toContain('2');
    await fireEvent.click(tab);
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.getAllByTestId('queue-row')).toHaveLength(1);
    expect(fake.callsTo('list_queue').at(-1)?.[0]).toMatchObject({ tab: 'second' });
    const approve = button('approve');
    expect(approve.textContent).toContain('Give second approval');
    await fireEvent.click(approve);
    await waitFor(() => expect(fake.callsTo('approve')).toEqual([['req-2']]));
    await waitFor(() => expect(screen.queryAllByTestId('queue-row')).toHaveLength(0));
  });

  it('goes back to the queue tab when the next operator may not give it', async () => {
    const fake = new FakeBackend(requests());
    await ready(fake);
    await fireEvent.click(screen.getByTestId('tab-second'));
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    await fireEvent.click(screen.getByTestId('operator-menu'));
    await fireEvent.click(screen.getByTestId('menu-switch'));
    await fireEvent.change(await screen.findByTestId('login-operator'), { target: { value: 'op-2' } });
    await fireEvent.input(screen.getByTestId('login-secret'), { target: { value: '0451' } });
    await fireEvent.click(button('login-submit'));
    await waitFor(() => expect(screen.queryByTestId('login-screen')).toBeNull());
    expect(screen.queryByTestId('tab-second')).toBeNull();
    expect(screen.getByTestId('tab-queue').getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
  });
});
