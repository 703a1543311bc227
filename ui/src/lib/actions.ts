// Small Svelte actions shared by dialogs and forms.

/** Focuses the element once it is in the document (instead of `autofocus`). */
export function focusOnMount(node: HTMLElement): void {
  queueMicrotask(() => node.focus());
}

/** Copies text to the clipboard, with a fallback for webviews without the API. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
