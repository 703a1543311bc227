import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { MISMATCH, SERVER_FINGERPRINT, UNREACHABLE } from './fake-team';
import { renderApp } from './render';

const URL_ = 'https://desk.example:8651';
const type = (testid: string, value: string) => fireEvent.input(screen.getByTestId(testid), { target: { value } });
const button = (testid: string) => screen.getByTestId(testid) as HTMLButtonElement;
/** The last two groups of SERVER_FINGERPRINT, as the admin's copy ends. */
const TAIL = 'E2:16';
const confirm = (value: string) => type('team-fingerprint-confirm', value);
const mismatch = () => screen.getByTestId('team-fingerprint-mismatch').textContent?.trim();

/** First start, "join a team desk", the URL typed and checked: the fingerprint shown. */
async function checked(fake?: FakeBackend) {
  const f = await firstStart(fake);
  await fireEvent.click(button('choose-join-team'));
  await type('team-url', URL_);
  await fireEvent.click(button('team-probe'));
  await screen.findByTestId('team-fingerprint');
  return f;
}

async function firstStart(fake = new FakeBackend([makeRequest(1)])) {
  fake.desk.firstStart();
  await renderApp(fake);
  await screen.findByTestId('first-admin-name');
  return fake;
}

describe('first start: join a team desk', () => {
  it('keeps "this desk alone" as the default, and switches between the two', async () => {
    await firstStart();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('first-admin-name')));
    expect(button('choose-alone').getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(button('choose-join-team'));
    expect(screen.queryByTestId('first-admin-name')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-url')));
    await fireEvent.click(button('choose-alone'));
    expect(await screen.findByTestId('first-admin-name')).toBeTruthy();
    expect(screen.queryByTestId('team-url')).toBeNull();
  });

  it('shows the probed fingerprint, joins with exactly it, then offers the server’s log-in', async () => {
    const fake = await firstStart();
    expect(screen.queryByTestId('team-badge')).toBeNull();
    await fireEvent.click(button('choose-join-team'));
    expect(button('team-probe').disabled).toBe(true);
    expect(button('team-join').disabled).toBe(true);

    await type('team-url', URL_);
    await fireEvent.click(button('team-probe'));
    const shown = await screen.findByTestId('team-fingerprint');
    expect(shown.textContent).toBe(SERVER_FINGERPRINT);
    expect(screen.getByTestId('team-server').textContent).toBe('Head office desk');
    expect(screen.getByTestId('login-screen').textContent).toContain('cashdesk-server fingerprint');
    expect(fake.callsTo('probe_team')).toEqual([[URL_]]);

    // Another address is another server: the check is gone with it.
    await type('team-url', `${URL_}/`);
    expect(screen.queryByTestId('team-fingerprint')).toBeNull();
    expect(button('team-join').disabled).toBe(true);
    await type('team-url', URL_);
    // Enter submits the current step: the check first, then the join.
    await fireEvent.submit(screen.getByTestId('team-url').closest('form')!);
    await screen.findByTestId('team-fingerprint');
    // Joining waits for the end of the admin's copy, typed back.
    expect(button('team-join').disabled).toBe(true);
    await confirm(TAIL);
    expect(button('team-join').disabled).toBe(false);
    expect(fake.callsTo('join_team')).toEqual([]);
    await fireEvent.click(button('team-join'));

    const select = (await screen.findByTestId('login-operator')) as HTMLSelectElement;
    expect(fake.callsTo('join_team')).toEqual([[URL_, SERVER_FINGERPRINT]]);
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['Asha', 'Bilal', 'Rina']);
    expect(screen.getByTestId('team-badge').textContent).toBe('Team desk · desk.example:8651');
    expect(screen.queryByTestId('choose-join-team')).toBeNull();
    expect(screen.getByTestId('team-leave')).toBeTruthy();
  });

  it("shows the server's refusal as it came, and joins nothing", async () => {
    const fake = await firstStart();
    fake.team.down.add('https://down.example:8651');
    await fireEvent.click(button('choose-join-team'));
    await type('team-url', 'https://down.example:8651');
    await fireEvent.click(button('team-probe'));
    const error = await screen.findByTestId('login-error');
    expect(error.textContent).toBe(UNREACHABLE);
    expect(error.getAttribute('role')).toBe('alert');
    expect(screen.queryByTestId('team-fingerprint')).toBeNull();

    // Checked, then the server shows another certificate: the pin refuses it.
    await type('team-url', URL_);
    expect(screen.queryByTestId('login-error')).toBeNull();
    await fireEvent.click(button('team-probe'));
    await screen.findByTestId('team-fingerprint');
    fake.team.server.fingerprint = 'SHA256:00:11';
    await confirm(TAIL);
    await fireEvent.click(button('team-join'));
    expect((await screen.findByTestId('login-error')).textContent).toBe(MISMATCH);
    expect(fake.callsTo('join_team')).toEqual([[URL_, SERVER_FINGERPRINT]]);
    expect(screen.getByTestId('login-screen').getAttribute('data-state')).toBe('first_start');
    expect(screen.queryByTestId('team-badge')).toBeNull();
  });
});

describe('first start: typing back the end of the fingerprint', () => {
  it('asks for the last two groups with an example that is not the real one', async () => {
    await checked();
    const input = screen.getByTestId('team-fingerprint-confirm') as HTMLInputElement;
    const label = input.closest('label')!.textContent!;
    expect(label).toContain('Type the last two groups of the fingerprint your admin gave you (for example AB:CD)');
    expect(label).not.toContain(TAIL);
    expect(input.value).toBe('');
    expect(mismatch()).toBe('');
  });

  it('keeps "join" disabled until the typed groups match, and joins nothing before', async () => {
    const fake = await checked();
    expect(button('team-join').disabled).toBe(true);
    // Enter (the form's submit) does not join either.
    await fireEvent.submit(screen.getByTestId('team-url').closest('form')!);
    await confirm('E2');
    expect(button('team-join').disabled).toBe(true);
    await fireEvent.submit(screen.getByTestId('team-fingerprint-confirm').closest('form')!);
    expect(fake.callsTo('join_team')).toEqual([]);
    await confirm(TAIL);
    expect(button('team-join').disabled).toBe(false);
    expect(mismatch()).toBe('');
  });

  it('says it does not match, as a status and not an error', async () => {
    const fake = await checked();
    await confirm('64:60');
    const hint = screen.getByTestId('team-fingerprint-mismatch');
    expect(hint.textContent?.trim()).toBe('Does not match the fingerprint shown — do not join; ask your admin.');
    expect(hint.getAttribute('role')).toBe('status');
    expect(screen.queryByTestId('login-error')).toBeNull();
    expect(button('team-join').disabled).toBe(true);
    await fireEvent.click(button('team-join'));
    expect(fake.callsTo('join_team')).toEqual([]);
    await confirm('  ');
    expect(mismatch()).toBe('');
  });

  it.each(['E2:16', 'E216', 'E2 16', 'e2:16', 'e216', ' e2 16 '])('accepts %j', async (typed) => {
    await checked();
    await confirm(typed);
    expect(button('team-join').disabled).toBe(false);
    expect(mismatch()).toBe('');
  });

  it('clears the typed groups when the address changes or the server is checked again', async () => {
    const fake = await checked();
    await confirm(TAIL);
    await fireEvent.click(button('team-probe'));
    await waitFor(() => expect(fake.callsTo('probe_team')).toHaveLength(2));
    await screen.findByTestId('team-fingerprint');
    expect((screen.getByTestId('team-fingerprint-confirm') as HTMLInputElement).value).toBe('');
    expect(button('team-join').disabled).toBe(true);

    await confirm(TAIL);
    await type('team-url', `${URL_}/`);
    await type('team-url', URL_);
    await fireEvent.click(button('team-probe'));
    await screen.findByTestId('team-fingerprint');
    expect((screen.getByTestId('team-fingerprint-confirm') as HTMLInputElement).value).toBe('');
    expect(button('team-join').disabled).toBe(true);
  });

  it('joins with Enter in the field once it matches', async () => {
    const fake = await checked();
    await confirm('e2 16');
    await fireEvent.submit(screen.getByTestId('team-fingerprint-confirm').closest('form')!);
    await screen.findByTestId('login-operator');
    expect(fake.callsTo('join_team')).toEqual([[URL_, SERVER_FINGERPRINT]]);
  });
});

describe('working at a team desk', () => {
  it('shows the lost server over the log-in screen until it is back, then reads the session again', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    fake.desk.loggedOut();
    await renderApp(fake);
    await screen.findByTestId('login-operator');
    expect(screen.getByTestId('team-badge').textContent).toBe('Team desk · desk.example:8651');
    expect(screen.queryByTestId('team-lost')).toBeNull();

    fake.emitTeam({ connected: false, problem: 'connection refused.' });
    const lost = await screen.findByTestId('team-lost');
    expect(lost.getAttribute('role')).toBe('alert');
    expect(lost.textContent?.trim()).toBe(
      `Lost the desk server at ${URL_}: connection refused. Nothing can be decided until it is back. Your drafts stay on this computer.`,
    );
    const reads = fake.callsTo('session').length;

    fake.emitTeam({ connected: true, problem: null });
    await waitFor(() => expect(screen.queryByTestId('team-lost')).toBeNull());
    await waitFor(() => expect(fake.callsTo('session').length).toBeGreaterThan(reads));
  });

  it('shows the lost server over the desk, and reloads what the desk shows when it is back', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    fake.team.joined(URL_);
    await renderApp(fake);
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    expect(screen.getByTestId('team-badge').textContent).toBe('Team desk · desk.example:8651');
    fake.emitTeam({ connected: false, problem: null });
    expect((await screen.findByTestId('team-lost')).textContent).toContain(`${URL_}: no answer.`);

    fake.requests.push(makeRequest(2));
    const queueReads = fake.callsTo('list_queue').length;
    fake.emitTeam({ connected: true });
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
    expect(fake.callsTo('list_queue').length).toBeGreaterThan(queueReads);
    expect(screen.queryByTestId('team-lost')).toBeNull();
  });

  it('works alone from the next start once asked (and asked again)', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    fake.desk.loggedOut();
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('team-leave'));
    await fireEvent.click(button('team-leave-cancel'));
    expect(fake.callsTo('leave_team')).toEqual([]);
    await fireEvent.click(button('team-leave'));
    await fireEvent.click(button('team-leave-confirm'));
    expect((await screen.findByTestId('team-leaving')).textContent).toBe('Cashdesk will work alone from its next start.');
    expect(fake.callsTo('leave_team')).toEqual([[]]);
    expect(screen.queryByTestId('team-leave')).toBeNull();
  });

  it('shows no badge, banner or leave link at a desk alone', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await waitFor(() => expect(fake.callsTo('desk_mode')).toHaveLength(1));
    await screen.findByTestId('detail');
    expect(screen.queryByTestId('team-badge')).toBeNull();
    expect(screen.queryByTestId('team-lost')).toBeNull();
    expect(screen.queryByTestId('team-leave')).toBeNull();
  });
});
