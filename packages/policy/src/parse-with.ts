import type { z } from 'zod';
import { UserError } from './user-error.js';

const DUTCH_LABELS: Record<string, string> = {
  contact: 'contactgegevens zijn',
  mailing: 'mailinggegevens zijn',
  facts: 'mailingfeiten zijn',
  acknowledgement: 'gegevens voor de verklaring zijn',
};

/**
 * Validates untrusted input against a schema; on failure throws a UserError `POLICY_INVALID_INPUT` whose
 * text names every bad field by its path (`contact.softBounces.0.at: …`).
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, label: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [label, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  throw new UserError(
    'POLICY_INVALID_INPUT',
    {
      en: `The ${label} is not valid. Fix these fields and try again:\n${lines.join('\n')}`,
      nl: `De ${DUTCH_LABELS[label] ?? `gegevens (${label}) zijn`} niet geldig. Verbeter deze velden en probeer het opnieuw:\n${lines.join('\n')}`,
    },
    { cause: result.error },
  );
}
