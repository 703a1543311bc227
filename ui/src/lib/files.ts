// Picked files on their way to the backend, and how their sizes read.
import { t } from './i18n';
import type { ScreenshotInput } from './bindings/ScreenshotInput';

/** The file's bytes as standard base64 (no `data:` prefix). */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(t('files.unreadable')));
    reader.readAsDataURL(file);
  });
}

/** The file's contents as text (UTF-8). */
export function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error(t('files.unreadable')));
    reader.readAsText(file);
  });
}

/** What `attach_screenshot` takes for a picked file. */
export async function screenshotInput(file: File): Promise<ScreenshotInput> {
  return {
    file_name: file.name,
    content_type: file.type || 'application/octet-stream',
    data_base64: await readBase64(file),
  };
}

/** "812 B", "48.2 KB", "1.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
