/**
 * Control characters, C1 controls and bidirectional overrides, which in a name from the analysed repository
 * (a file called `a\nb.ts`, a YAML key holding ESC sequences) could fake output lines or drive the terminal.
 */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every unprintable character written as an escape (`\n`, `\u001b`), so it prints as one line. */
export function toPrintable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A deep copy of a JSON value with every string made printable: for the plain-text renderer. */
export function toPrintableValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'string' ? toPrintable(item) : item)) as T;
}
