import { NumberInput, Select } from '@mantine/core';
import { useState } from 'react';
import { describeError } from './describe-error.js';
import { useUiLanguage } from './ui-language.js';

// What the SMTP and the IMAP (intake) forms share: a mail server's security and port, and a connection test
// per configured server whose answer stays in its row.

/** How a mail server connection is protected; the same three for sending and for reading. */
export type Security = 'TLS' | 'STARTTLS' | 'NONE';
export const SECURITIES: readonly Security[] = ['TLS', 'STARTTLS', 'NONE'];

/**
 * The security choice and the port: choosing a security puts its usual port (the protocol's own table, SMTP
 * or IMAP) in the port field, which the user can still change.
 */
export function SecurityPortFields({
  labels,
  securityLabel,
  defaultPort,
  value,
  onChange,
}: {
  labels: { security: string; port: string };
  /** The security's name as the user reads it. */
  securityLabel: (security: Security) => string;
  defaultPort: Record<Security, number>;
  value: { security: Security; port: number };
  onChange: (value: { security: Security; port: number }) => void;
}) {
  return (
    <>
      <Select
        label={labels.security}
        data={SECURITIES.map((security) => ({ value: security, label: securityLabel(security) }))}
        value={value.security}
        allowDeselect={false}
        onChange={(chosen) => {
          const security = SECURITIES.find((candidate) => candidate === chosen);
          if (security) onChange({ security, port: defaultPort[security] });
        }}
      />
      <NumberInput
        label={labels.port}
        required
        min={1}
        max={65535}
        value={value.port}
        onChange={(port) => onChange({ security: value.security, port: Number(port) || 0 })}
      />
    </>
  );
}

/**
 * The last answer of a row's action (a connection test, a run) per row name, until the next one; a failure
 * in the api's own words in the user's language.
 */
export function useRowAnswers() {
  const lang = useUiLanguage();
  const [answers, setAnswers] = useState<Record<string, { ok: boolean; text: string }>>({});
  const note = (name: string, ok: boolean, text: string) =>
    setAnswers((previous) => ({ ...previous, [name]: { ok, text } }));
  const failed = (name: string) => (error: unknown) => note(name, false, describeError(error, lang).message);
  return { answers, note, failed };
}
