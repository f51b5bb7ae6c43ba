import type { ConsentMethod } from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ImportBatchStatus = 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED';

/** `import_batch`: one imported file. `mapping` and `attestation` are JSON text. */
export interface ImportBatchTable {
  id: string;
  file_name: string;
  file_sha256: string;
  file_size: number | null;
  sender_entity_id: string | null;
  list_id: string | null;
  mapping: Generated<string>;
  default_method: ConsentMethod | null;
  status: Generated<ImportBatchStatus>;
  rows_total: Generated<number>;
  imported_count: Generated<number>;
  updated_count: Generated<number>;
  duplicate_count: Generated<number>;
  suppressed_count: Generated<number>;
  rejected_count: Generated<number>;
  attestation_id: string | null;
  attestation: string | null;
  rejects_path: string | null;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  /** Data rows read and committed so far (migration 0200). */
  rows_done: Generated<number>;
  source_tool: string | null;
  encoding: string | null;
  delimiter: string | null;
  /** The process writing a RUNNING batch, its host and its last heartbeat (migration 0190). */
  worker_pid: number | null;
  worker_host: string | null;
  worker_heartbeat_at: string | null;
}
export type ImportBatchRow = Selectable<ImportBatchTable>;
export type NewImportBatchRow = Insertable<ImportBatchTable>;
export type ImportBatchRowUpdate = Updateable<ImportBatchTable>;
