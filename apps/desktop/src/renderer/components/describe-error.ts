import type { Lang } from '@consent-mailer/policy/vocabulary';
import { TRPCClientError } from '@trpc/client';

interface UserErrorData {
  userError?: { code: string; text: { en: string; nl: string } } | null;
  zodError?: { fieldErrors?: Record<string, string[] | undefined>; formErrors?: string[] } | null;
}

/**
 * The text to show for an error from the api: its UserError text in the user's language (the api words a
 * rejected input that way too, field labels and all), else the invalid fields, else the plain message.
 *
 * @example
 * describeError(error, 'nl'); // { code: 'SMTP_AUTH_FAILED', message: 'De SMTP-server weigerde …' }
 */
export function describeError(error: unknown, language: Lang): { code: string; message: string } {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<never>).data as UserErrorData | undefined;
    if (data?.userError) return { code: data.userError.code, message: data.userError.text[language] };
    const fields = data?.zodError?.fieldErrors;
    if (fields) {
      const lines = Object.entries(fields).flatMap(([field, messages]) =>
        (messages ?? []).map((message) => `${field}: ${message}`),
      );
      if (lines.length > 0) return { code: 'INVALID_INPUT', message: lines.join('\n') };
    }
    return { code: 'INTERNAL', message: error.message };
  }
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
