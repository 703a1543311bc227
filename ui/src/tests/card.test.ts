import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeRequest } from './fake';
import { renderApp } from './render';

describe('card numbers', () => {
  it('shows a masked card and the whole number only when asked (the core audits it)', async () => {
    const r = makeRequest(1, { kind: 'withdrawal' });
    r.destination = '411111******1111';
    r.masked = true;
    const fake = new FakeBackend([r, makeRequest(2)]);
    fake.cards['req-1'] = [{ field: 'destination', value: '4111111111111111' }];
    await renderApp(fake);
    await screen.findByTestId('detail');
    expect(screen.getByText('411111******1111')).toBeTruthy();
    expect(screen.queryByText('4111111111111111')).toBeNull();
    expect(fake.callsTo('reveal_card')).toEqual([]);
    await fireEvent.click(screen.getByTestId('reveal-card'));
    await waitFor(() => expect(screen.getByText('4111111111111111')).toBeTruthy());
    expect(fake.callsTo('reveal_card')).toEqual([['req-1']]);
    expect(screen.queryByTestId('reveal-card')).toBeNull();
    // The next request starts masked again.
    await fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(screen.getByTestId('detail').getAttribute('data-id')).toBe('req-2'));
    expect(screen.queryByText('4111111111111111')).toBeNull();
  });
});
