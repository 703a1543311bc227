import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../lib/bindings/ApiError';
import { FakeBackend } from './fake';
import { UNREACHABLE } from './fake-team';
import { renderApp } from './render';

const URL_ = 'https://desk.example:8651';

/** Opens Settings once the desk knows whether it works at a team server. */
async function openSettings(fake: FakeBackend) {
  await renderApp(fake);
  await waitFor(() => expect(fake.callsTo('desk_mode')).toHaveLength(1));
  if (fake.team.mode.team) await screen.findByTestId('team-badge');
  await fireEvent.click(screen.getByTestId('settings'));
  // Settings is a chunk of its own: the first open in a file waits for it.
  await screen.findByTestId('operators', {}, { timeout: 5000 });
}

const rowOf = (id: string) => screen.getAllByTestId('team-session').find((r) => r.getAttribute('data-id') === id)!;

describe('desktops logged in to the team desk (admin)', () => {
  it('lists each desktop with its operator, device and times', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    await openSettings(fake);
    const section = await screen.findByTestId('team-sessions');
    expect(within(section).getByRole('heading').textContent).toBe('Desktops logged in');
    await waitFor(() => expect(screen.getAllByTestId('team-session')).toHaveLength(2));
    expect(fake.callsTo('team_sessions')).toEqual([[]]);
    const bilal = rowOf('sess-bilal');
    expect(bilal.textContent).toContain('Bilal');
    expect(bilal.textContent).toContain('counter-pc');
    expect(bilal.textContent).toContain('20 min ago');
    expect(within(bilal).getByTestId('team-session-end').getAttribute('aria-label')).toBe('End session: Bilal on counter-pc');
  });

  it('ends a session after one confirmation, and shows the list the server answers', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    await openSettings(fake);
    await waitFor(() => expect(screen.getAllByTestId('team-session')).toHaveLength(2));

    // Asked first, and "Keep" ends nothing.
    await fireEvent.click(within(rowOf('sess-bilal')).getByTestId('team-session-end'));
    expect(within(rowOf('sess-bilal')).getByRole('alert').textContent).toBe(
      "End Bilal's session on counter-pc? That desktop is logged out at its next step.",
    );
    await fireEvent.click(within(rowOf('sess-bilal')).getByRole('button', { name: 'Keep' }));
    expect(fake.callsTo('revoke_team_session')).toEqual([]);
    expect(within(rowOf('sess-bilal')).queryByTestId('team-session-end-confirm')).toBeNull();

    await fireEvent.click(within(rowOf('sess-bilal')).getByTestId('team-session-end'));
    await fireEvent.click(within(rowOf('sess-bilal')).getByTestId('team-session-end-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('team-session')).toHaveLength(1));
    expect(fake.callsTo('revoke_team_session')).toEqual([['sess-bilal']]);
    expect(screen.getAllByTestId('team-session').map((r) => r.getAttribute('data-id'))).toEqual(['sess-asha']);
    // The answer is the list: not read again.
    expect(fake.callsTo('team_sessions')).toHaveLength(1);
  });

  it('has no serious accessibility findings, with an end being confirmed', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    await openSettings(fake);
    await waitFor(() => expect(screen.getAllByTestId('team-session')).toHaveLength(2));
    await fireEvent.click(within(rowOf('sess-asha')).getByTestId('team-session-end'));
    const section = screen.getByTestId('team-sessions');
    const result = await axe.run(section, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  it('shows a refusal as it came', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    await openSettings(fake);
    await waitFor(() => expect(screen.getAllByTestId('team-session')).toHaveLength(2));
    // Ended meanwhile (by another admin): the server no longer knows it.
    fake.team.sessions = fake.team.sessions.filter((s) => s.id !== 'sess-bilal');
    await fireEvent.click(within(rowOf('sess-bilal')).getByTestId('team-session-end'));
    await fireEvent.click(within(rowOf('sess-bilal')).getByTestId('team-session-end-confirm'));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('No such session: it may have ended already.');
    expect(screen.getAllByTestId('team-session')).toHaveLength(2);
  });

  it('shows the list refused (the server out of reach) in its place', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    fake.team.listSessions = () => {
      throw { code: 'server_unreachable', message: UNREACHABLE } satisfies ApiError;
    };
    await openSettings(fake);
    expect((await screen.findByTestId('team-sessions-error')).textContent).toBe(UNREACHABLE);
    expect(screen.queryByTestId('team-session')).toBeNull();
  });

  it('is not shown at a desk alone', async () => {
    const fake = new FakeBackend();
    await openSettings(fake);
    expect(screen.queryByTestId('team-sessions')).toBeNull();
    expect(fake.callsTo('team_sessions')).toEqual([]);
  });

  it('is not shown to an operator who is not an admin', async () => {
    const fake = new FakeBackend();
    fake.team.joined(URL_);
    fake.desk.as('op-3');
    await renderApp(fake);
    await screen.findByTestId('team-badge');
    await fireEvent.click(screen.getByTestId('settings'));
    await screen.findByRole('region', { name: 'Settings' }, { timeout: 5000 });
    expect(screen.queryByTestId('team-sessions')).toBeNull();
    expect(fake.callsTo('team_sessions')).toEqual([]);
  });
});

describe('the fake team_sessions', () => {
  it('is empty on a desk alone and refused to a non-admin', async () => {
    const fake = new FakeBackend();
    expect(await fake.teamSessions()).toEqual([]);
    fake.team.joined(URL_);
    expect(await fake.teamSessions()).toHaveLength(2);
    fake.desk.as('op-2');
    await expect(fake.teamSessions()).rejects.toMatchObject({ code: 'needs_role' });
  });
});
