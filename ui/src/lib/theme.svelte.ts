// Light, dark, or whatever the OS says (the default): a per-machine choice,
// set as `data-theme` on <html>; app.css holds both palettes.

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEMES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const KEY = 'cashdesk.theme';

function initial(): ThemeChoice {
  let saved: string | null = null;
  try {
    saved = globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    saved = null;
  }
  return THEMES.includes(saved as ThemeChoice) ? (saved as ThemeChoice) : 'system';
}

const state = $state({ theme: initial(), osDark: false });

/** The OS's preference, followed while the choice is "system". */
function watchOs(): void {
  const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  if (!mq) return;
  state.osDark = mq.matches;
  mq.addEventListener?.('change', (e) => (state.osDark = e.matches));
}

export function theme(): ThemeChoice {
  return state.theme;
}

/** The palette in force: the choice, or the OS's for "system" (charts redraw on it). */
export function effectiveTheme(): 'light' | 'dark' {
  return state.theme === 'system' ? (state.osDark ? 'dark' : 'light') : state.theme;
}

export function applyTheme(): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = state.theme;
}

export function setTheme(choice: ThemeChoice): void {
  if (!THEMES.includes(choice)) return;
  state.theme = choice;
  try {
    globalThis.localStorage?.setItem(KEY, choice);
  } catch {
    // kept for this run only
  }
  applyTheme();
}

watchOs();
applyTheme();
