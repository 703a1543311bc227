// Components reach the shared state (and through it the Backend) here only.
import { getContext, setContext } from 'svelte';
import type { Desk } from './desk.svelte';

const KEY = Symbol('cashdesk');

export function provideDesk(desk: Desk): Desk {
  return setContext(KEY, desk);
}

export function useDesk(): Desk {
  const desk = getContext<Desk | undefined>(KEY);
  if (!desk) throw new Error('Cashdesk state missing: render inside <App>.');
  return desk;
}
