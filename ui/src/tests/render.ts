import { expect } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import App from '../App.svelte';
import { Desk } from '../lib/desk.svelte';
import { FakeBackend } from './fake';

/**
 * Renders the whole app over a fake backend and waits for the session and,
 * when someone is logged in, the first queue page.
 */
export async function renderApp(fake: FakeBackend, opts: { focused?: boolean } = {}) {
  const desk = new Desk(fake);
  desk.hasFocus = () => opts.focused ?? true;
  const active = fake.desk.state === 'active';
  const result = render(App, { props: { backend: fake, desk } });
  await waitFor(() => expect(fake.callsTo(active ? 'list_queue' : 'session').length).toBeGreaterThan(0));
  return { ...result, desk };
}

export async function detailId(): Promise<string | null> {
  const el = await screen.findByTestId('detail');
  return el.getAttribute('data-id');
}
