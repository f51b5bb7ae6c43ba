import { canonicalSha256 } from './canonical-json.js';

/**
 * sha256 of the canonical JSON of every leaf of a document, keyed by its dotted path
 * (`signer.name`, `statements.2.confirmed`, `recipients.byMethod.PHONE`). Exports carry them beside the
 * signature so a verifier can name the field that was changed instead of only saying "invalid".
 * Empty objects and arrays are leaves too, so removing every entry of one is still noticed.
 *
 * @example
 * fieldDigests({ signer: { name: 'An' } }); // { 'signer.name': '…' }
 */
export function fieldDigests(value: unknown): Record<string, string> {
  const digests: Record<string, string> = {};
  walk(value, '', digests);
  return digests;
}

/**
 * The paths whose digests differ between what was recorded and what a document has now: changed, added
 * or removed leaves, sorted.
 *
 * @example
 * differingFields(bundle.fieldDigests, fieldDigests(bundle.acknowledgement)); // ['signer.name']
 */
export function differingFields(
  recorded: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>>,
): string[] {
  const paths = new Set([...Object.keys(recorded), ...Object.keys(actual)]);
  return [...paths].filter((path) => recorded[path] !== actual[path]).sort();
}

function walk(value: unknown, path: string, into: Record<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value);
    if (entries.length > 0) {
      for (const [key, item] of entries) walk(item, path === '' ? key : `${path}.${key}`, into);
      return;
    }
  }
  into[path === '' ? '(document)' : path] = canonicalSha256(value);
}
