import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { emptyFields } from '../lib/draft.svelte';
import { FakeBackend, makeRequest } from './fake';
import { WRONG_LOG_IN } from './fake-session';
import { renderApp } from './render';

const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });
const button = (testid: string) => screen.getByTestId(testid) as HTMLButtonElement;

describe('first start', () => {
  it('creates the first admin, who gets every role, and shows the desk', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.firstStart();
    await renderApp(fake);
    const screenEl = await screen.findByTestId('login-screen');
    expect(screenEl.textContent).toContain('Create the first admin');
    // Nothing of the desk is there behind it.
    expect(screen.queryByTestId('queue-row')).toBeNull();
    expect(screen.queryByTestId('operator-menu')).toBeNull();
    expect(fake.callsTo('list_queue')).toEqual([]);

    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('first-admin-name')));
    await type('first-admin-name', 'Nadia');
    await fireEvent.change(screen.getByTestId('first-admin-login'), { target: { value: 'pin' } });
    const secret = screen.getByTestId('first-admin-secret') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(secret.inputMode).toBe('numeric');
    await type('first-admin-secret', '2468');
    await type('first-admin-confirm', '2467');
    expect(button('first-admin-create').disabled).toBe(true);
    await type('first-admin-confirm', '2468');
    expect(button('first-admin-create').disabled).toBe(false);
    await fireEvent.click(button('first-admin-create'));

    await waitFor(() => expect(screen.queryByTestId('login-screen')).toBeNull());
    expect(fake.callsTo('create_first_admin')).toEqual([['Nadia', 'pin', '2468']]);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    const menu = screen.getByTestId('operator-menu');
    expect(menu.textContent).toContain('Nadia');
    expect(menu.textContent).toContain('Agent, Supervisor, Admin');
    expect(screen.getByTestId('tab-second')).toBeTruthy();
  });

  it("shows the core's refusal inline", async () => {
    const fake = new FakeBackend();
    fake.desk.firstStart();
    await renderApp(fake);
    await type('first-admin-name', 'Nadia');
    await type('first-admin-secret', 'short');
    await type('first-admin-confirm', 'short');
    await fireEvent.click(button('first-admin-create'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('A password needs 8 to 128 characters');
    expect(screen.getByTestId('login-screen')).toBeTruthy();
  });
});

describe('log in', () => {
  it('shows a wrong secret as the core words it, then logs in', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.loggedOut();
    await renderApp(fake);
    const select = (await screen.findByTestId('login-operator')) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => [o.value, o.textContent])).toEqual([
      ['op-1', 'Asha'],
      ['op-2', 'Bilal'],
      ['op-3', 'Rina'],
    ]);
    await fireEvent.change(select, { target: { value: 'op-2' } });
    expect((screen.getByTestId('login-secret') as HTMLInputElement).inputMode).toBe('numeric');
    await type('login-secret', '9999');
    await fireEvent.click(button('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe(WRONG_LOG_IN);
    expect((screen.getByTestId('login-secret') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('queue-row')).toBeNull();

    await type('login-secret', '0451');
    await fireEvent.click(button('login-submit'));
    await waitFor(() => expect(screen.queryByTestId('login-screen')).toBeNull());
    expect(fake.callsTo('log_in')).toEqual([
      ['op-2', '9999'],
      ['op-2', '0451'],
    ]);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    expect(screen.getByTestId('operator-menu').textContent).toContain('Bilal');
    // An agent: no second approval tab, no provider-account management.
    expect(screen.queryByTestId('tab-second')).toBeNull();
    expect(screen.getByTestId('new-request')).toBeTruthy();
  });
});

describe('lock', () => {
  it('Ctrl+L shows the lock screen over a hidden desk, and unlock brings it back as it was', async () => {
    const fake = new FakeBackend([makeRequest(1), makeRequest(2)]);
    await renderApp(fake);
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));

    await fireEvent.keyDown(window, { key: 'l', ctrlKey: true });
    const lock = await screen.findByTestId('lock-screen');
    expect(lock.textContent).toContain('Locked — Asha');
    expect(fake.callsTo('lock_desk')).toHaveLength(1);
    expect(screen.getByTestId('detail').closest('[hidden]')).not.toBeNull();
    // Keys do not reach the desk while it is locked.
    await fireEvent.keyDown(window, { key: 'a' });
    expect(fake.callsTo('approve')).toEqual([]);

    await type('unlock-secret', 'wrong horse');
    await fireEvent.click(button('unlock-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe(WRONG_LOG_IN);
    await type('unlock-secret', 'correct horse');
    await fireEvent.click(button('unlock-submit'));
    await waitFor(() => expect(screen.queryByTestId('login-screen')).toBeNull());
    expect(screen.getByTestId('detail').closest('[hidden]')).toBeNull();
    expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2');
  });

  it('shows the lock screen when the core refuses a call as locked', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await screen.findByTestId('detail');
    fake.desk.state = 'locked';
    await fireEvent.click(button('approve'));
    expect((await screen.findByTestId('lock-screen')).textContent).toContain('Locked — Asha');
  });

  it('switches operator from the menu: the new one gets their own drafts', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.drafts = [
      { id: 'draft-9', fields: { ...emptyFields(), amount: '700' }, updated_at: new Date().toISOString(), screenshot: null },
    ];
    await renderApp(fake);
    await waitFor(() => expect(fake.callsTo('list_drafts')).toHaveLength(1));
    await fireEvent.click(screen.getByTestId('operator-menu'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('menu-lock')));
    await fireEvent.keyDown(screen.getByTestId('menu-lock'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('menu-switch'));
    await fireEvent.click(screen.getByTestId('menu-switch'));

    const select = (await screen.findByTestId('login-operator')) as HTMLSelectElement;
    expect(screen.getByTestId('login-screen').textContent).toContain('Locked by Asha');
    fake.drafts = [];
    await fireEvent.change(select, { target: { value: 'op-3' } });
    await type('login-secret', 'rina at the desk');
    await fireEvent.click(button('login-submit'));
    await waitFor(() => expect(screen.queryByTestId('login-screen')).toBeNull());
    expect(screen.getByTestId('operator-menu').textContent).toContain('Rina');
    await waitFor(() => expect(fake.callsTo('list_drafts')).toHaveLength(2));
    expect(fake.callsTo('list_queue').length).toBeGreaterThan(1);
    expect(screen.queryByText(/Unfinished draft/)).toBeNull();
  });

  it('logs out from the menu to the log-in form', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await fireEvent.click(screen.getByTestId('operator-menu'));
    await fireEvent.click(screen.getByTestId('menu-log-out'));
    await screen.findByTestId('login-operator');
    expect(fake.callsTo('log_out')).toHaveLength(1);
    expect(screen.queryByTestId('queue-row')).toBeNull();
  });

  it('locks by itself after the idle time', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.idleLockSecs = 60;
    const { desk } = await renderApp(fake);
    await screen.findByTestId('detail');
    // The window's timer sleeps until the lock falls due (within the
    // clock's 15 s step), never a second at a time.
    const start = Date.now();
    const wait = desk.tick(start + 50_000);
    expect(wait).toBeGreaterThan(1_000);
    expect(wait).toBeLessThanOrEqual(15_005);
    desk.tick(start + 30_000);
    expect(fake.callsTo('lock_desk')).toEqual([]);
    expect(desk.tick(start + 59_500)).toBeLessThanOrEqual(1_000);
    desk.tick(Date.now() + 61_000);
    await screen.findByTestId('lock-screen');
  });
});
