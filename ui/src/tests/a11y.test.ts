import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../lib/i18n';
import { FakeBackend, makeRequest } from './fake';
import { riskOf } from './fake-policy';
import { renderApp } from './render';

afterEach(() => {
  setLocale('en');
  localStorage.clear();
});

/** Serious and critical axe findings on the page (contrast is checked on the palettes: jsdom has no layout). */
async function serious(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('accessibility (axe)', () => {
  it.each(['en', 'ur'])('log-in screen in %s', async (code) => {
    await setLocale(code);
    const fake = new FakeBackend([makeRequest(1)]);
    fake.desk.loggedOut();
    await renderApp(fake);
    await screen.findByTestId('login-screen');
    expect(await serious()).toEqual([]);
  });

  it.each(['en', 'ur'])('joining a team desk, then its log-in with the server lost, in %s', async (code) => {
    await setLocale(code);
    const fake = new FakeBackend();
    fake.desk.firstStart();
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('choose-join-team'));
    await fireEvent.input(screen.getByTestId('team-url'), { target: { value: 'https://desk.example:8651' } });
    await fireEvent.click(screen.getByTestId('team-probe'));
    await screen.findByTestId('team-fingerprint');
    expect(await serious()).toEqual([]);
    // Typed back wrong (the hint shows), then right.
    await fireEvent.input(screen.getByTestId('team-fingerprint-confirm'), { target: { value: '00:00' } });
    expect(screen.getByTestId('team-fingerprint-mismatch').textContent?.trim()).not.toBe('');
    expect(await serious()).toEqual([]);
    await fireEvent.input(screen.getByTestId('team-fingerprint-confirm'), { target: { value: 'E2:16' } });
    await fireEvent.click(screen.getByTestId('team-join'));
    await screen.findByTestId('login-operator');
    fake.emitTeam({ connected: false, problem: 'connection refused' });
    await screen.findByTestId('team-lost');
    await fireEvent.click(screen.getByTestId('team-leave'));
    expect(await serious()).toEqual([]);
  });

  it.each(['en', 'bn'])('desk with a request open, then Settings, in %s', async (code) => {
    await setLocale(code);
    const fake = new FakeBackend([makeRequest(1), makeRequest(2)]);
    await renderApp(fake);
    await screen.findByTestId('detail');
    expect(await serious()).toEqual([]);
    await fireEvent.click(screen.getByTestId('settings'));
    await screen.findByTestId('appearance');
    expect(await serious()).toEqual([]);
  });

  it.each(['en', 'ur'])('risk banners and an approval asking for its confirmation, in %s', async (code) => {
    await setLocale(code);
    const r = makeRequest(1);
    r.risk = [riskOf('same_reference', 'req-2', { blocking: true }), riskOf('recent_rejections', 'req-2', { count: 2 })];
    const big = makeRequest(3);
    big.confirm_from = { amount: '100.00', currency: 'BDT' };
    const fake = new FakeBackend([r, makeRequest(2, { status: 'rejected' }), big]);
    r.approve_blocked = 'The same TrxID is on another deposit: reject one of the two.';
    await renderApp(fake);
    await screen.findAllByTestId('risk-banner');
    expect(await serious()).toEqual([]);
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-3'));
    await fireEvent.keyDown(window, { key: 'a' });
    await screen.findByTestId('approve-confirm');
    expect(await serious()).toEqual([]);
  });

  it.each(['en', 'ur'])('the keyboard shortcut sheet in %s', async (code) => {
    await setLocale(code);
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await screen.findByTestId('detail');
    await fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    await screen.findByTestId('shortcut-sheet');
    expect(await serious()).toEqual([]);
  });

  it('supervisor desk in Urdu', async () => {
    await setLocale('ur');
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('supervisor'));
    await screen.findByTestId('overview');
    expect(screen.getByTestId('sv-tab-overview').getAttribute('aria-selected')).toBe('true');
    expect(await serious()).toEqual([]);
  });
});

describe('Appearance & language from the operator menu', () => {
  it('opens Settings at the section, its heading focused', async () => {
    const fake = new FakeBackend([makeRequest(1)]);
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('operator-menu'));
    await fireEvent.click(screen.getByTestId('menu-appearance'));
    const heading = await screen.findByRole('heading', { name: 'Appearance & language' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByTestId('prefs-language')).toBeTruthy();
    expect(screen.getByTestId('prefs-theme')).toBeTruthy();
  });
});
