// Small helpers for the team desk mode (the badge, the lost-server banner).

/** The server's host and port, for the badge ("desk.example:8651"); the text as given if it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** The server's words for a lost connection, without a final full stop (the sentence around it has one). */
export function problemText(problem: string | null, fallback: string): string {
  const p = (problem ?? '').trim().replace(/[.。।۔]+$/u, '');
  return p === '' ? fallback : p;
}
