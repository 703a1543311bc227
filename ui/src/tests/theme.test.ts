import { readFileSync } from 'node:fs';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import Preferences from '../lib/components/Preferences.svelte';
import { effectiveTheme, setTheme, theme } from '../lib/theme.svelte';

// Read as text (vitest leaves CSS imports empty); tests run from ui/.
const css = readFileSync('src/app.css', 'utf8');

afterEach(() => {
  setTheme('system');
  localStorage.clear();
});


/** The `--name: #rrggbb` pairs of the first rule that starts with `selector`. */
function palette(selector: string): Record<string, string> {
  const at = css.indexOf(selector);
  expect(at, selector).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2].toLowerCase()]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const light = palette(':root {');
const dark = { ...light, ...palette(":root[data-theme='dark']") };
const osDark = { ...light, ...palette(":root:not([data-theme='light'])") };

const BACKGROUNDS = ['bg', 'surface', 'surface-2', 'selected'];
const TEXTS = ['text', 'text-muted', 'accent', 'error-text', 'tone-waiting', 'tone-progress', 'tone-ok', 'tone-bad', 'tone-warn', 'tone-muted'];
/** Text on a filled background: buttons, banners, tags. */
const FILLED = [
  ['accent-text', 'accent'],
  ['danger-text', 'danger'],
  ['approve-text', 'approve'],
  ['sandbox-text', 'sandbox-bg'],
  ['error-text', 'error-bg'],
];
/** Non-text that identifies a control or state (WCAG 1.4.11): 3:1. */
const UI = ['focus', 'border-strong', 'chart-1', 'chart-2', 'chart-3', 'chart-4', 'chart-5', 'chart-6', 'chart-7', 'chart-8'];

describe('palettes', () => {
  it('are the same dark palette whether chosen or followed from the OS', () => {
    expect(osDark).toEqual(dark);
  });

  it.each([
    ['light', light],
    ['dark', dark],
  ] as const)('%s: every text and background pair meets WCAG AA', (_name, p) => {
    const fails: string[] = [];
    for (const fg of TEXTS) for (const bg of BACKGROUNDS) if (contrast(p[fg], p[bg]) < 4.5) fails.push(`${fg} on ${bg}`);
    for (const [fg, bg] of FILLED) if (contrast(p[fg], p[bg]) < 4.5) fails.push(`${fg} on ${bg}`);
    for (const fg of UI) for (const bg of ['bg', 'surface']) if (contrast(p[fg], p[bg]) < 3) fails.push(`${fg} on ${bg}`);
    expect(fails).toEqual([]);
  });
});

describe('theme switch', () => {
  it('follows the OS by default and sets data-theme on <html> when chosen', async () => {
    expect(theme()).toBe('system');
    expect(document.documentElement.dataset.theme).toBe('system');
    render(Preferences);
    await fireEvent.change(screen.getByTestId('prefs-theme'), { target: { value: 'dark' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(effectiveTheme()).toBe('dark');
    expect(localStorage.getItem('cashdesk.theme')).toBe('dark');
    setTheme('light');
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
