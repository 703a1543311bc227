import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake';
import { renderApp } from './render';

describe('service level', () => {
  it('an admin sets how long a request may wait before it needs attention', async () => {
    const fake = new FakeBackend();
    await renderApp(fake);
    await fireEvent.click(await screen.findByTestId('settings'));
    const input = (await screen.findByTestId('sla-minutes')) as HTMLInputElement;
    expect(input.value).toBe('30');
    await fireEvent.input(input, { target: { value: '45' } });
    await fireEvent.click(screen.getByTestId('sla-save'));
    await waitFor(() => expect(fake.callsTo('set_sla_minutes')).toEqual([[45]]));
    await screen.findByTestId('sla-saved');
  });
});
