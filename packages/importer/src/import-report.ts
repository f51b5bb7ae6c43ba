import type { ConsentMethod, LocalizedText } from '@consent-mailer/policy';
import type { ColumnMapping, SourceTool } from './column-mapping.js';
import type { SourceRow } from './contact-file.js';
import { createRowValidator } from './contact-row.js';
import type { ImportField } from './import-field.js';
import { getSourceProfile, type PartyKind } from './profiles/index.js';
import { isSuppressedByTool } from './row-status.js';

/** One column of the file and what the import makes of it. */
export interface ColumnReport {
  index: number;
  header: string;
  field: ImportField;
  /** False for columns dropped (mapped to `ignore`): their values are not imported. */
  kept: boolean;
}

/**
 * What the preview shows and the batch record keeps: the detected tool, what each column became and what
 * was dropped, the per-row method the tool's evidence allows (to be confirmed by the owner), and what the
 * first rows would become.
 */
export interface ImportReport {
  tool: SourceTool;
  profile: { id: string; name: string; files: string[]; sources: string[]; party: PartyKind } | null;
  columns: ColumnReport[];
  /** Headers of the dropped columns. */
  dropped: string[];
  /** Per-row methods the profile derives from evidence, with the rule in words; empty when none. */
  rowMethods: { method: ConsentMethod; requires: ImportField[]; text: LocalizedText }[];
  /** What the sample rows would become (the preview's rows). */
  sample: {
    rows: number;
    /** Rows the old tool had as unsubscribed, bounced, complained or blocklisted: suppressed. */
    suppressed: number;
    /** Rows that declined marketing: recorded as an objection (never mailable). */
    objected: number;
    /** Unconfirmed or never-subscribed rows: blocked, never covered by a signature. */
    unconsented: number;
    /** Rows whose method the evidence proves (when the owner confirms the per-row method). */
    methodFromEvidence: number;
    rejected: number;
  };
}

/**
 * Describes an import for the preview and the batch record: profile, columns kept and dropped, the per-row
 * method rule and what the sample rows become.
 *
 * @example
 * const report = describeImport(preview.rows, mapping, { timeZone: 'UTC', importedAt });
 * report.dropped; // ['MEMBER_RATING', 'LEID', …]
 */
export function describeImport(
  rows: readonly SourceRow[],
  mapping: ColumnMapping,
  options: { timeZone: string; importedAt: string },
): ImportReport {
  const profile = getSourceProfile(mapping.tool);
  const columns = mapping.columns.map((column) => ({
    index: column.index,
    header: column.header,
    field: column.field,
    kept: column.field !== 'ignore',
  }));
  // A stand-in method and attestation, so every row is judged on what the file itself says.
  const validate = createRowValidator({
    mapping,
    consent: {
      method: 'WEB_SOI',
      evidence: {},
      recipientKind: 'UNKNOWN',
      timeZone: options.timeZone,
      rowMethodFromEvidence: true,
    },
    attestationId: 'preview',
    importedAt: options.importedAt,
  });
  const sample = { rows: 0, suppressed: 0, objected: 0, unconsented: 0, methodFromEvidence: 0, rejected: 0 };
  const header = mapping.headerRowNumber ?? 0;
  for (const row of rows) {
    if (row.rowNumber <= header) continue;
    sample.rows += 1;
    const result = validate(row);
    if (!result.ok) {
      sample.rejected += 1;
      continue;
    }
    const contact = result.contact;
    if (isSuppressedByTool(contact)) sample.suppressed += 1;
    else if (contact.objectedAt) sample.objected += 1;
    else if (contact.unconsented) sample.unconsented += 1;
    else if (contact.methodFromEvidence) sample.methodFromEvidence += 1;
  }
  return {
    tool: mapping.tool ?? 'generic',
    profile: profile
      ? {
          id: profile.id,
          name: profile.name,
          files: profile.files,
          sources: profile.sources,
          party: profile.party,
        }
      : null,
    columns,
    dropped: columns.filter((column) => !column.kept).map((column) => column.header),
    rowMethods: (profile?.rowMethods ?? []).map((rule) => ({
      method: rule.method,
      requires: rule.requires,
      text: rule.text,
    })),
    sample,
  };
}
