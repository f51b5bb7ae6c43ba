/** A text in both languages the product speaks. */
export interface LocalizedText {
  en: string;
  nl: string;
}

/**
 * An error a user can act on: a stable `code` (for scripts and tests) and a message in Dutch and English
 * that says what went wrong and what to do. Every package throws these for bad input; the api passes them
 * through to the CLI and the app unchanged.
 *
 * @example
 * throw new UserError('IMPORT_EMPTY_FILE', {
 *   en: 'The file is empty. Export the contacts again and choose that file.',
 *   nl: 'Het bestand is leeg. Exporteer de contacten opnieuw en kies dat bestand.',
 * });
 */
export class UserError extends Error {
  readonly code: string;
  readonly text: LocalizedText;

  constructor(code: string, text: LocalizedText, options?: { cause?: unknown }) {
    super(text.en, options);
    this.name = 'UserError';
    this.code = code;
    this.text = text;
  }
}

/**
 * True for a {@link UserError}, also across package copies (checks the shape, not the prototype).
 *
 * @example
 * try { parseContactRecord(json); } catch (error) { if (isUserError(error)) console.error(error.text.nl); }
 */
export function isUserError(error: unknown): error is UserError {
  return (
    error instanceof Error &&
    error.name === 'UserError' &&
    typeof (error as Partial<UserError>).code === 'string' &&
    typeof (error as Partial<UserError>).text?.en === 'string'
  );
}
