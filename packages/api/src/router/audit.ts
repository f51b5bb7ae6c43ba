import {
  getEvent,
  anchorPathFor,
  appendEvent,
  checkAnchor,
  inTransaction,
  fullIntegrityProblems,
  readAnchorFile,
  verifyChain,
  type AnchorCheck,
  type ChainAnchor,
  type ChainVerification,
} from '@consent-mailer/store';
import { UserError } from '@consent-mailer/policy';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc.js';

/** The event a finding points at, so a user sees what was altered. */
export interface AuditEvent {
  seq: number;
  at: string;
  type: string;
  entity: string;
  entityId: string | null;
}

/**
 * The full check: chain links, the head an accountant holds (`expect`), the rows of the sealed tables
 * against the chain, the append-only triggers, and the signed anchor beside the file.
 */
export type AuditVerification = ChainVerification & {
  brokenEvent?: AuditEvent | null;
  /** The anchor beside the database file and what checking it found. */
  anchor: AnchorSummary;
  /** SQLite's full integrity_check (opening the store runs only the quick check): `[]` when sound. */
  integrity: string[];
};

/** What `audit verify` reports about the anchor file. */
export type AnchorSummary =
  | { status: 'NONE' }
  | { status: 'OK'; seq: number; hash: string; signed: boolean; keyFingerprint: string | null }
  | {
      status: 'INVALID';
      problem: Extract<AnchorCheck, { status: 'INVALID' }>['problem'];
      seq: number | null;
    };

/** `SEQ:HASH`, as `audit anchor` prints it. */
const ExpectedHead = z
  .string()
  .regex(/^\d+:[0-9a-f]{64}$/, 'expected SEQ:HASH, e.g. 42:3f1c… (64 hex characters)')
  .transform((text) => {
    const [seq, hash] = text.split(':');
    return { seq: Number(seq), hash: hash ?? '' };
  });

function summarise(check: AnchorCheck): AnchorSummary {
  if (check.status === 'NONE') return { status: 'NONE' };
  if (check.status === 'OK') {
    return {
      status: 'OK',
      seq: check.anchor.seq,
      hash: check.anchor.hash,
      signed: check.signed,
      keyFingerprint: check.anchor.keyFingerprint,
    };
  }
  return { status: 'INVALID', problem: check.problem, seq: check.anchor?.seq ?? null };
}

export const auditRouter = {
  /**
   * Walks the whole event log and names the first broken link (changed, replaced or deleted event), the
   * first row no event accounts for, a dropped trigger, or an anchor the chain no longer extends.
   */
  verify: publicProcedure
    .input(z.object({ expect: ExpectedHead.optional() }).optional())
    .query(async ({ ctx, input }): Promise<AuditVerification> => {
      const expect = input?.expect;
      const integrity = fullIntegrityProblems(ctx.store);
      const result = await verifyChain(ctx.store.db, expect === undefined ? {} : { expect });
      const anchor = summarise(
        checkAnchor(ctx.store.sqlite, readAnchorFile(anchorPathFor(ctx.store.path)), ctx.store.anchorSigner),
      );
      if (result.ok) {
        if (anchor.status !== 'INVALID') return { ...result, anchor, integrity };
        return {
          ok: false,
          events: result.events,
          brokenAt: anchor.seq ?? result.events,
          reason: 'ANCHOR_INVALID',
          expected: anchor.problem,
          found: `the event log ends at event ${result.events} with hash ${result.headHash}`,
          anchor,
          integrity,
          brokenEvent: null,
        };
      }
      const row = await getEvent(ctx.store.db, result.brokenAt);
      return {
        ...result,
        anchor,
        integrity,
        brokenEvent:
          row === undefined
            ? null
            : { seq: row.seq, at: row.at, type: row.type, entity: row.entity, entityId: row.entity_id },
      };
    }),

  /**
   * The signed head of the chain (sequence number, hash, time, key fingerprint, signature): what the user
   * hands to an accountant, who later checks the file with `audit verify --expect SEQ:HASH`.
   *
   * `adopt`: for a database opened with --open-damaged only because its anchor is unsigned or missing (it
   * was used before this installation had its key, or copied without its anchor file), signs its current
   * head with the installation's key and records that in the event log (`ledger.anchor_adopted`).
   *
   * @throws {UserError} AUDIT_ANCHOR_DAMAGED when the database did not check clean on open;
   *   AUDIT_ANCHOR_NO_KEY when adopting without the installation's key.
   */
  anchor: publicProcedure
    .input(z.object({ adopt: z.boolean().optional() }).optional())
    .query(async ({ ctx, input }): Promise<ChainAnchor> => {
      const health = ctx.store.health;
      const anchorProblem = health?.anchor?.status === 'INVALID' ? health.anchor.problem : null;
      const adoptable =
        input?.adopt === true &&
        (anchorProblem === 'UNSIGNED' || anchorProblem === 'MISSING') &&
        health?.chain?.ok !== false &&
        (health?.integrity?.length ?? 0) === 0;
      if (adoptable) {
        const signer = ctx.store.anchorSigner;
        if (signer === undefined) {
          throw new UserError('AUDIT_ANCHOR_NO_KEY', {
            en: "Adopting the head needs this installation's key, and none is at hand. Set CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY (or run this from the app), then try again.",
            nl: 'Voor het overnemen van de kop is de sleutel van deze installatie nodig, en die is er niet. Stel CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY in (of doe dit vanuit de app) en probeer het opnieuw.',
          });
        }
        const replaced = health?.anchor?.status === 'INVALID' ? health.anchor.anchor : null;
        await inTransaction(ctx.store.db, (trx) =>
          appendEvent(trx, {
            type: 'ledger.anchor_adopted',
            entity: 'store',
            at: ctx.clock().toISOString(),
            data: {
              problem: anchorProblem,
              replaced: replaced === null ? null : { seq: replaced.seq, hash: replaced.hash },
              keyFingerprint: signer.fingerprint,
            },
          }),
        );
        const adopted = ctx.store.adoptAnchorSigner(signer);
        ctx.store.health = {
          ...(health ?? { integrity: [], chain: null, schema: { version: null, applied: [], pending: [] } }),
          anchor: checkAnchor(ctx.store.sqlite, readAnchorFile(anchorPathFor(ctx.store.path)), signer),
        };
        return adopted ?? ctx.store.currentAnchor();
      }
      if (health?.chain?.ok === false || health?.anchor?.status === 'INVALID') {
        throw new UserError('AUDIT_ANCHOR_DAMAGED', {
          en: 'This database does not verify, so its head cannot be vouched for. Run "consent-mailer audit verify" to see what changed.',
          nl: 'Deze database klopt niet, dus voor de kop kan niet worden ingestaan. Voer "consent-mailer audit verify" uit om te zien wat er is gewijzigd.',
        });
      }
      return ctx.store.writeAnchor() ?? ctx.store.currentAnchor();
    }),
} satisfies TRPCRouterRecord;
