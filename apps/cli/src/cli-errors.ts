import { isUserError, type Lang } from '@consent-mailer/policy';
import { TRPCError } from '@trpc/server';

export type { Lang };

/** Raised by commands for a bad command line; printed without a stack and exits with code 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/**
 * Turns any error into the message a user reads, in their language. Kept apart from runtime.ts so that
 * printing an error (and `--help`) loads neither the api nor the store.
 */
export function describeCliError(error: unknown, lang: Lang): { code: string; message: string } {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (isUserError(cause)) return { code: cause.code, message: cause.text[lang] };
  if (error instanceof TRPCError && error.code === 'BAD_REQUEST' && error.cause && 'issues' in error.cause) {
    const issues = (error.cause as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    return {
      code: 'INVALID_INPUT',
      message: issues
        .map((issue) => `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`)
        .join('\n'),
    };
  }
  if (error instanceof CliUsageError) return { code: 'USAGE', message: error.message };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
