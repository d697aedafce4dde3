import { createHash } from 'node:crypto';

/**
 * Output file names made from names in the analysed code (function ids, file names, chain names). Those names are
 * written by whoever wrote the repository: `../../.bashrc`, `/etc/cron.d/x`, `CON`, a NUL byte or 300 characters
 * are all valid YAML keys. Every generator turns them into paths with this module, and the writer
 * (`write-output.ts`) checks every path again with `isSafeRelativePath` before it touches the disk.
 *
 * A segment is safe on Linux, macOS and Windows: printable, no separators, no `.`/`..`, no leading dot (no hidden
 * files), no trailing dot or space, no Windows device name, at most MAX_SEGMENT_BYTES bytes of UTF-8, NFC.
 */

/** Well under the 255-byte limit of common file systems, leaving room for an extension and a temporary suffix. */
export const MAX_SEGMENT_BYTES = 120;
/** Characters no file name may hold on one of the three systems, and the controls. */
// oxlint-disable-next-line no-control-regex -- control characters are what this removes
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]+/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const HASH_LENGTH = 8;

/** A short, stable fingerprint of the original name: keeps two names that clean up alike apart. */
function fingerprint(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
}

function truncateBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Whether a single path segment is already safe (and so would be kept as it is). */
export function isSafeSegment(segment: string): boolean {
  return (
    segment.length > 0 &&
    segment === segment.normalize('NFC') &&
    !new RegExp(FORBIDDEN.source).test(segment) &&
    !segment.startsWith('.') &&
    !/[. ]$/.test(segment) &&
    !WINDOWS_DEVICE.test(segment) &&
    Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES
  );
}

/**
 * One safe path segment for `name` (plus `extension`, e.g. `.asl.json`). A name that is already safe is kept as it
 * is; any other gets its unsafe parts replaced by `-` and a fingerprint of the original appended, so the result is
 * stable (the same name always gives the same segment) and two different names never clean up to the same one.
 */
export function toSafeSegment(name: string, extension = ''): string {
  if (isSafeSegment(name + extension)) return name + extension;
  return withFingerprint(name, extension);
}

/** Names toDistinctSegment keeps as they are: lowercase ASCII, as propose names workflows (`place-order`). */
const LOWERCASE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * A safe segment for a name that must stay apart from every other name's without seeing them (a workflow's files
 * are named by several generators, each on its own): a safe lowercase ASCII name is kept as it is; any other name
 * gets a fingerprint of itself, so names that differ only in case (`Orders`, `orders`) never meet on a
 * case-insensitive disk. The writer refuses the one collision left (a name written as another's fingerprinted form).
 */
export function toDistinctSegment(name: string, extension = ''): string {
  if (LOWERCASE_NAME.test(name) && isSafeSegment(name + extension)) return name + extension;
  return withFingerprint(name, extension);
}

/** The unsafe parts of `name` replaced by `-`, cut to length, and a fingerprint of the original appended. */
function withFingerprint(name: string, extension: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(FORBIDDEN, '-')
    .replace(/^[.\s-]+/, '')
    .replace(/[.\s-]+$/, '');
  const room = MAX_SEGMENT_BYTES - Buffer.byteLength(extension) - HASH_LENGTH - 1;
  const stem = truncateBytes(cleaned, Math.max(room, 1)).replace(/[.\s]+$/, '');
  const base = stem === '' ? fingerprint(name) : `${stem}-${fingerprint(name)}`;
  const segment = base + extension;
  // A device name with a fingerprint after it (`con-1a2b3c4d`) is no device name any more.
  return isSafeSegment(segment) ? segment : `_${segment}`;
}

/** A relative POSIX path of safe segments, one per name: `['chains', 'placeOrder']` → `chains/placeOrder`. */
export function toSafeRelativePath(names: readonly string[], extension = ''): string {
  if (names.length === 0) throw new Error('toSafeRelativePath needs at least one name');
  return names.map((name, i) => toSafeSegment(name, i === names.length - 1 ? extension : '')).join('/');
}

/** Whether `relative` is a path the writer may create: relative, POSIX, every segment safe. */
export function isSafeRelativePath(relative: string): boolean {
  return relative.length > 0 && relative.length <= 1024 && relative.split('/').every((segment) => isSafeSegment(segment));
}

/**
 * Gives out safe paths for a set of names and guarantees they are distinct on case-insensitive file systems too
 * (`Orders` and `orders` on macOS), and that no file is given out where another needs a folder (`a` and `a/b`): a
 * later name that would collide gets a number and a fingerprint. Call it in a stable order (sorted names) and the
 * paths are stable.
 */
export class SafePathAllocator {
  /** Files given out (case-folded), each with the names it was given for. */
  private readonly files = new Map<string, string>();
  /** The folders those files are in (case-folded). */
  private readonly folders = new Set<string>();

  /** The path for `names` (see toSafeRelativePath); the same names always get the same path. */
  allocate(names: readonly string[], extension = ''): string {
    if (names.length === 0) throw new Error('SafePathAllocator.allocate needs at least one name');
    const key = JSON.stringify([names, extension]);
    const segments: string[] = [];
    names.forEach((name, i) => {
      const isFile = i === names.length - 1;
      const ext = isFile ? extension : '';
      let segment = toSafeSegment(name, ext);
      for (let attempt = 1; this.conflicts([...segments, segment].join('/'), isFile, key); attempt++) segment = toSafeSegment(`${name}#${attempt}`, ext);
      segments.push(segment);
    });
    const allocated = segments.join('/');
    this.files.set(foldCase(allocated), key);
    for (let i = 1; i < segments.length; i++) this.folders.add(foldCase(segments.slice(0, i).join('/')));
    return allocated;
  }

  /** A folder may not be a file given out; a file may not be a folder given out, nor another name's file. */
  private conflicts(candidate: string, isFile: boolean, key: string): boolean {
    const folded = foldCase(candidate);
    const owner = this.files.get(folded);
    if (!isFile) return owner !== undefined;
    return (owner !== undefined && owner !== key) || this.folders.has(folded);
  }
}

function foldCase(relative: string): string {
  return relative.normalize('NFC').toLowerCase();
}
