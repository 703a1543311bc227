import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Component } from 'svelte';
import Lazy from '../lib/components/Lazy.svelte';
import StatusBadge from '../lib/components/StatusBadge.svelte';
import { lazy } from '../lib/lazy.svelte';
import { loadMessages } from '../lib/i18n/catalogue';

type Badge = { status: 'pending'; label: string; testid?: string };

/** A chunk whose arrival the test decides. */
function deferred() {
  let resolve!: (m: { default: Component<Badge> }) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<{ default: Component<Badge> }>((ok, no) => {
    resolve = ok;
    reject = no;
  });
  return { promise, resolve, reject };
}

const badge = { default: StatusBadge as unknown as Component<Badge> };

describe('lazy views', () => {
  it('show a busy status until their chunk is in, then the view with its props', async () => {
    const chunk = deferred();
    const importer = vi.fn(() => chunk.promise);
    const view = lazy(importer);
    render(Lazy<Badge>, { props: { of: view, status: 'pending', label: 'pending', testid: 'badge' } });
    const busy = await screen.findByTestId('lazy-loading');
    expect(busy.getAttribute('aria-busy')).toBe('true');
    expect(busy.getAttribute('role')).toBe('status');
    expect(busy.textContent).toContain('Loading…');
    chunk.resolve(badge);
    expect((await screen.findByTestId('badge')).textContent).toBe('pending');
    expect(screen.queryByTestId('lazy-loading')).toBeNull();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('draw at once the next time, without importing again', async () => {
    const importer = vi.fn(() => Promise.resolve(badge));
    const view = lazy(importer);
    await view.load();
    render(Lazy<Badge>, { props: { of: view, status: 'pending', label: 'pending', testid: 'badge' } });
    expect(screen.getByTestId('badge').textContent).toBe('pending');
    expect(screen.queryByTestId('lazy-loading')).toBeNull();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('say so when the chunk does not load, and try again on request', async () => {
    const first = deferred();
    const importer = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValueOnce(badge);
    const view = lazy<Badge>(importer);
    render(Lazy<Badge>, { props: { of: view, status: 'pending', label: 'pending', testid: 'badge' } });
    first.reject(new Error('Failed to fetch dynamically imported module'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This part of the window did not load: Failed to fetch dynamically imported module');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByTestId('badge').textContent).toBe('pending'));
    expect(importer).toHaveBeenCalledTimes(2);
  });
});

describe('what stays in the first script', () => {
  it('sets the saved palette at start, though Settings and the charts load lazily', async () => {
    vi.resetModules();
    localStorage.setItem('cashdesk.theme', 'dark');
    delete document.documentElement.dataset.theme;
    try {
      await import('../App.svelte');
      expect(document.documentElement.dataset.theme).toBe('dark');
    } finally {
      localStorage.clear();
      vi.resetModules();
    }
  });
});

describe('language catalogues', () => {
  it('English is in the first script; the others load on demand', async () => {
    expect((await loadMessages('en')).tabs).toBeTruthy();
    expect(((await loadMessages('bn')).tabs as Record<string, string>).queue).toBe('সারি');
    await expect(loadMessages('xx')).rejects.toThrow();
  });

  it('a saved language is loaded before the i18n module is ready: no English first', async () => {
    vi.resetModules();
    localStorage.setItem('cashdesk.locale', 'ur');
    try {
      const fresh = await import('../lib/i18n/state.svelte');
      expect(fresh.locale()).toBe('ur');
      expect(fresh.t('tabs.queue')).toBe('قطار');
      expect(document.documentElement.dir).toBe('rtl');
    } finally {
      localStorage.clear();
      vi.resetModules();
    }
  });

  it('a language switch waits for its messages, then switches all at once', async () => {
    vi.resetModules();
    localStorage.clear();
    const fresh = await import('../lib/i18n/state.svelte');
    try {
      expect(fresh.locale()).toBe('en');
      const switching = fresh.setLocale('hi');
      // Not half-switched meanwhile: still wholly English.
      expect(fresh.locale()).toBe('en');
      expect(document.documentElement.lang).toBe('en');
      expect(fresh.t('tabs.queue')).toBe('Queue');
      await switching;
      expect(fresh.locale()).toBe('hi');
      expect(document.documentElement.lang).toBe('hi');
      expect(localStorage.getItem('cashdesk.locale')).toBe('hi');
      expect(fresh.t('tabs.queue')).not.toBe('Queue');
    } finally {
      await fresh.setLocale('en');
      localStorage.clear();
      vi.resetModules();
    }
  });
});
