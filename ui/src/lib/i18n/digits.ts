// Native digits: ASCII 0–9 swapped for a script's own, in text the window
// already formatted exactly (amounts stay strings, never floats).

/** Zero in each numbering system the locales use; the other nine follow it. */
const ZERO: Record<string, number> = {
  beng: 0x09e6, // Bengali ০
  deva: 0x0966, // Devanagari ०
  arabext: 0x06f0, // Extended Arabic-Indic ۰ (Urdu)
  arab: 0x0660, // Arabic-Indic ٠
};

/** Whether `system` has digits of its own to swap in. */
export function hasNativeDigits(system: string): boolean {
  return system in ZERO;
}

/** `text` with its ASCII digits written in `system` (unchanged for `latn`). */
export function toDigits(text: string, system: string): string {
  const zero = ZERO[system];
  if (zero === undefined) return text;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(zero + d.charCodeAt(0) - 48));
}
