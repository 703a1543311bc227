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

/** Fingerprint text as compared by a person: no colons or spaces, upper case ("64 60" and "64:60" are "6460"). */
function bare(text: string): string {
  return text.replace(/[\s:]+/gu, '').toUpperCase();
}

/** The last two colon-separated groups of a fingerprint ("SHA256:…:64:60" → "64:60"), what the person types back. */
export function fingerprintTail(fingerprint: string): string {
  return fingerprint.trim().split(':').slice(-2).join(':');
}

/** Whether the typed text is the fingerprint's last two groups: any case, with or without the colon or spaces. */
export function matchesFingerprintTail(typed: string, fingerprint: string): boolean {
  const want = bare(fingerprintTail(fingerprint));
  return want !== '' && bare(typed) === want;
}

/** The example in the label: fixed, never the real value (that would give the answer away). */
export function fingerprintExample(fingerprint: string): string {
  return matchesFingerprintTail('AB:CD', fingerprint) ? 'EF:01' : 'AB:CD';
}
