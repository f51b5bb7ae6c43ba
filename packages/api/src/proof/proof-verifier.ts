// The offline verifier of a proof bundle (ZIP). Over 400 lines because verifyProofBundle is one ordered
// list of checks over the same parsed bundle, each naming what failed, with no database to lean on.
import type { LocalizedText } from '@consent-mailer/policy';
import {
  SEALED_ROWS_KEY,
  SEALED_TABLES,
  anchorMessage,
  canonicalSha256,
  optinKeyFingerprint,
  parseAnchor,
  partHash,
  rowDigest,
  sha256Hex,
  type SealedRowsCommitment,
  verifyOptinEvent,
} from '@consent-mailer/store';
import { unzipSync } from 'fflate';
import { z } from 'zod';
import { EventExcerpt, excerptHash } from '../acknowledgement/evidence-bundle.js';
import { parsePublicKeyPem, publicKeyFingerprint, verifyText } from '../acknowledgement/signing-key.js';
import { OPTIN_EVENTS_FILE } from './optin-evidence.js';
import {
  CHAIN_ANCHOR_FILE,
  CHAIN_EVENTS_FILE,
  CHAIN_ROWS_FILE,
  MANIFEST_FILE,
  ProofManifest,
  SIGNATURE_FILE,
} from './proof-manifest.js';

/** One thing that does not hold, with the file (and where useful the place in it) it is about. */
export interface ProofProblem {
  file: string;
  text: LocalizedText;
}

/** What `verify` reports for a proof bundle; `keyPinned` as for acknowledgement bundles. */
export interface ProofVerification {
  valid: boolean;
  keyPinned: boolean;
  problems: ProofProblem[];
  summary?: {
    addressSha256: string;
    purpose: string;
    createdAt: string;
    keyFingerprint: string;
    files: number;
    personEvents: number;
    anchor: { seq: number; hash: string; at: string };
    rows: number;
    /** Signed events of the opt-in service checked against its pinned key (erased ones not counted). */
    optinEvents: number;
  };
}

const OptinEvents = z.strictObject({
  services: z.array(
    z.strictObject({
      url: z.string(),
      keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      publicKeyPem: z.string(),
      events: z.array(
        z.strictObject({
          seq: z.number().int().positive(),
          id: z.string(),
          type: z.string(),
          at: z.string(),
          data: z.record(z.string(), z.unknown()),
          signature: z.string(),
        }),
      ),
    }),
  ),
});

const CONFIRMATION_MAIL = /^optin\/confirmation-mail-[0-9a-zA-Z-]+-(\d+)\.eml$/;

const ChainEvents = z.strictObject({
  personEvents: z.array(z.number().int().positive()),
  personal: z.record(z.string(), z.unknown()),
  segment: z.array(EventExcerpt),
});

const ChainRows = z.strictObject({
  rows: z.array(
    z.strictObject({
      table: z.string().min(1),
      key: z.string().min(1),
      row: z.record(z.string(), z.unknown()),
      eventSeq: z.number().int().positive(),
      part: z.number().int().nonnegative(),
      keys: z.string().min(2),
      digestsHex: z.string().regex(/^(?:[0-9a-f]{64})*$/),
    }),
  ),
});

/** True when the bytes start like a ZIP file (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Checks a proof bundle (ZIP) with no database: the manifest's Ed25519 signature (against the pinned key
 * when `trustedFingerprints` is given), that the ZIP holds exactly the files the manifest lists with their
 * sha256, that the enclosed chain runs unbroken from its first event to the anchored head, that the anchor
 * is signed by the same key, that each person's event and payload is in that chain, and that each of the
 * person's rows is the state an event of that chain committed. Any changed byte of any file fails.
 *
 * @example
 * const result = verifyProofBundle(await readFile('proof.zip'), { trustedFingerprints: ['sha256:…'] });
 */
export function verifyProofBundle(
  bytes: Uint8Array,
  options: { trustedFingerprints?: readonly string[] } = {},
): ProofVerification {
  const trusted = options.trustedFingerprints;
  const keyPinned = trusted !== undefined;
  const problems: ProofProblem[] = [];
  const add = (file: string, en: string, nl: string) => problems.push({ file, text: { en, nl } });
  const result = (summary?: ProofVerification['summary']): ProofVerification => ({
    valid: problems.length === 0,
    keyPinned,
    problems,
    ...(summary === undefined ? {} : { summary }),
  });

  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    add(
      '(zip)',
      `The file is not a readable ZIP (${detail}). It was damaged or edited; ask for the original bundle.`,
      `Het bestand is geen leesbare ZIP (${detail}). Het is beschadigd of bewerkt; vraag om de oorspronkelijke bundel.`,
    );
    return result();
  }
  const text = (path: string) => Buffer.from(files[path] ?? new Uint8Array()).toString('utf8');
  const json = (path: string): unknown => {
    try {
      return JSON.parse(text(path)) as unknown;
    } catch {
      return undefined;
    }
  };

  // 1. The manifest and its signature.
  const manifestBytes = files[MANIFEST_FILE];
  const parsed = ProofManifest.safeParse(manifestBytes === undefined ? undefined : json(MANIFEST_FILE));
  if (!parsed.success) {
    add(
      MANIFEST_FILE,
      'The bundle has no readable manifest.json in the proof-bundle format: it is not a proof bundle, or it was edited.',
      'De bundel heeft geen leesbare manifest.json in het formaat van een bewijsbundel: het is geen bewijsbundel, of hij is bewerkt.',
    );
    return result();
  }
  const manifest = parsed.data;
  const publicKey = parsePublicKeyPem(manifest.signingKey.publicKeyPem);
  const fingerprint = publicKey ? publicKeyFingerprint(publicKey) : '(unreadable)';
  if (
    !publicKey ||
    publicKey.export({ format: 'pem', type: 'spki' }).toString() !== manifest.signingKey.publicKeyPem
  ) {
    add(
      MANIFEST_FILE,
      'The public key in the manifest is not an Ed25519 key as exported.',
      'De publieke sleutel in het manifest is geen Ed25519-sleutel zoals geëxporteerd.',
    );
  } else if (fingerprint !== manifest.signingKey.fingerprint) {
    add(
      MANIFEST_FILE,
      `The public key (${fingerprint}) is not the key the manifest names (${manifest.signingKey.fingerprint}).`,
      `De publieke sleutel (${fingerprint}) is niet de sleutel die het manifest noemt (${manifest.signingKey.fingerprint}).`,
    );
  }
  if (trusted !== undefined && !trusted.includes(fingerprint)) {
    add(
      MANIFEST_FILE,
      `The bundle is signed with the key ${fingerprint}, which is not the trusted key (${trusted.join(', ') || 'none given'}). It may have been edited and signed again: ask the business for a fresh bundle and check the fingerprint with them by phone.`,
      `De bundel is ondertekend met de sleutel ${fingerprint}; dat is niet de vertrouwde sleutel (${trusted.join(', ') || 'geen opgegeven'}). Hij kan zijn bewerkt en opnieuw ondertekend: vraag het bedrijf om een nieuwe bundel en controleer de vingerafdruk telefonisch met hen.`,
    );
  }
  const signature = text(SIGNATURE_FILE);
  if (
    publicKey === undefined ||
    !signature.endsWith('\n') ||
    !verifyText(publicKey, text(MANIFEST_FILE), signature.slice(0, -1))
  ) {
    add(
      SIGNATURE_FILE,
      'The signature does not match manifest.json: the manifest or its signature was changed.',
      'De handtekening past niet bij manifest.json: het manifest of de handtekening is gewijzigd.',
    );
  }

  // 2. Exactly the listed files, each with its sha256.
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const path of Object.keys(files)) {
    if (path === MANIFEST_FILE || path === SIGNATURE_FILE) continue;
    if (!listed.has(path)) {
      add(
        path,
        `${path} is in the ZIP but not in the signed manifest: it was added.`,
        `${path} staat in de ZIP maar niet in het ondertekende manifest: het is toegevoegd.`,
      );
    }
  }
  for (const entry of manifest.files) {
    const data = files[entry.path];
    if (data === undefined) {
      add(
        entry.path,
        `${entry.path} is listed in the manifest but missing from the ZIP.`,
        `${entry.path} staat in het manifest maar ontbreekt in de ZIP.`,
      );
    } else if (sha256Hex(data) !== entry.sha256 || data.byteLength !== entry.bytes) {
      add(
        entry.path,
        `${entry.path} does not match its sha256 in the manifest: it was changed.`,
        `${entry.path} past niet bij de sha256 in het manifest: het is gewijzigd.`,
      );
    }
  }

  // 3. The anchor, signed by the same key.
  const anchor = parseAnchor(json(CHAIN_ANCHOR_FILE));
  if (anchor === null) {
    add(
      CHAIN_ANCHOR_FILE,
      'The chain anchor is missing or unreadable.',
      'Het anker van de keten ontbreekt of is onleesbaar.',
    );
    return result();
  }
  if (
    publicKey === undefined ||
    anchor.keyFingerprint !== fingerprint ||
    anchor.signature === null ||
    !verifyText(publicKey, anchorMessage(anchor), anchor.signature)
  ) {
    add(
      CHAIN_ANCHOR_FILE,
      'The anchor of the chain head is not signed by the key of this bundle.',
      'Het anker van de kop van de keten is niet ondertekend met de sleutel van deze bundel.',
    );
  }

  // 4. The chain segment: each event against its hash, each link, ending at the anchored head.
  const events = ChainEvents.safeParse(json(CHAIN_EVENTS_FILE));
  const rows = ChainRows.safeParse(json(CHAIN_ROWS_FILE));
  if (!events.success || !rows.success) {
    add(
      events.success ? CHAIN_ROWS_FILE : CHAIN_EVENTS_FILE,
      'The chain proof is not in the proof-bundle format.',
      'Het ketenbewijs is niet in het formaat van een bewijsbundel.',
    );
    return result();
  }
  const segment = events.data.segment;
  const bySeq = new Map(segment.map((event) => [event.seq, event]));
  segment.forEach((event, index) => {
    const recomputed = excerptHash(event);
    if (recomputed !== event.hash) {
      add(
        CHAIN_EVENTS_FILE,
        `Event ${event.seq} (${event.type}) does not match its hash.`,
        `Gebeurtenis ${event.seq} (${event.type}) past niet bij haar hash.`,
      );
    }
    const previous = segment[index - 1];
    if (previous !== undefined && (event.seq !== previous.seq + 1 || event.prevHash !== previous.hash)) {
      add(
        CHAIN_EVENTS_FILE,
        `Event ${event.seq} does not follow event ${previous.seq}: the chain is broken.`,
        `Gebeurtenis ${event.seq} volgt niet op gebeurtenis ${previous.seq}: de keten is verbroken.`,
      );
    }
  });
  const last = segment.at(-1);
  if (anchor.seq > 0 && (last?.seq !== anchor.seq || last.hash !== anchor.hash)) {
    add(
      CHAIN_EVENTS_FILE,
      `The chain does not end at the signed head ${anchor.seq}.`,
      `De keten eindigt niet bij de ondertekende kop ${anchor.seq}.`,
    );
  }
  for (const seq of events.data.personEvents) {
    if (!bySeq.has(seq)) {
      add(
        CHAIN_EVENTS_FILE,
        `Event ${seq} about the person is not in the enclosed chain.`,
        `Gebeurtenis ${seq} over de persoon zit niet in de bijgevoegde keten.`,
      );
    }
  }
  for (const [seq, payload] of Object.entries(events.data.personal)) {
    const event = bySeq.get(Number(seq));
    if (event?.personalHash !== canonicalSha256(payload)) {
      add(
        CHAIN_EVENTS_FILE,
        `The personal details of event ${seq} are not the ones its hash commits.`,
        `De persoonsgegevens van gebeurtenis ${seq} zijn niet die welke haar hash vastlegt.`,
      );
    }
  }

  // 5. The person's rows: digest → part → event → chain.
  for (const proof of rows.data.rows) {
    const where = `${proof.table} ${proof.key}`;
    const event = bySeq.get(proof.eventSeq);
    const commitments = event?.data[SEALED_ROWS_KEY] as Record<string, SealedRowsCommitment> | undefined;
    const digests = Buffer.from(proof.digestsHex, 'hex');
    const hash = partHash({ table: proof.table, part: proof.part, keys: proof.keys, digests });
    if (commitments?.[proof.table]?.parts[proof.part] !== hash) {
      add(
        CHAIN_ROWS_FILE,
        `The row ${where} is not committed by event ${proof.eventSeq} of the chain.`,
        `De rij ${where} is niet vastgelegd door gebeurtenis ${proof.eventSeq} van de keten.`,
      );
      continue;
    }
    const index = keyIndex(proof.keys, proof.key);
    const volatile = SEALED_TABLES[proof.table] ?? [];
    const columns = Object.keys(proof.row)
      .filter((column) => !volatile.includes(column))
      .sort();
    const digest = rowDigest(
      {
        table: proof.table,
        keyColumns: ['id'],
        columns,
        labels: columns.map((c) => `${JSON.stringify(c)}:`),
      },
      proof.row,
    );
    const committed =
      index < 0 ? undefined : digests.subarray(index * 32, index * 32 + 32).toString('latin1');
    if (committed !== digest) {
      add(
        CHAIN_ROWS_FILE,
        `The row ${where} is not the state the chain committed.`,
        `De rij ${where} is niet de toestand die de keten vastlegde.`,
      );
    }
  }

  // 6. The opt-in service's signed events: the key is the one whose fingerprint was pinned at pairing,
  // every event carries its signature, and each confirmation mail is the raw MIME a signed event names.
  let optinEvents = 0;
  if (files[OPTIN_EVENTS_FILE] !== undefined) {
    const optin = OptinEvents.safeParse(json(OPTIN_EVENTS_FILE));
    if (!optin.success) {
      add(
        OPTIN_EVENTS_FILE,
        'The opt-in service events are not in the proof-bundle format.',
        'De gebeurtenissen van de opt-in-service zijn niet in het formaat van een bewijsbundel.',
      );
    } else {
      const rawMimes = new Map<string, string>();
      for (const service of optin.data.services) {
        let serviceFingerprint: string | undefined;
        try {
          serviceFingerprint = optinKeyFingerprint(service.publicKeyPem);
        } catch {
          serviceFingerprint = undefined;
        }
        if (serviceFingerprint !== service.keyFingerprint) {
          add(
            OPTIN_EVENTS_FILE,
            `The key of the opt-in service ${service.url} is not the pinned key ${service.keyFingerprint}.`,
            `De sleutel van de opt-in-service ${service.url} is niet de vastgelegde sleutel ${service.keyFingerprint}.`,
          );
          continue;
        }
        for (const event of service.events) {
          // Erasure removed the personal fields on purpose: such an event can no longer be checked.
          if (event.data.erased === true) continue;
          if (!verifyOptinEvent(service.publicKeyPem, event)) {
            add(
              OPTIN_EVENTS_FILE,
              `Event ${event.seq} (${event.type}) of the opt-in service ${service.url} does not carry a valid signature of its pinned key: it was changed.`,
              `Gebeurtenis ${event.seq} (${event.type}) van de opt-in-service ${service.url} heeft geen geldige handtekening van de vastgelegde sleutel: hij is gewijzigd.`,
            );
            continue;
          }
          optinEvents += 1;
          if (event.type === 'confirmed' && typeof event.data.confirmRawMime === 'string')
            rawMimes.set(String(event.seq), event.data.confirmRawMime);
        }
      }
      for (const path of Object.keys(files)) {
        const match = CONFIRMATION_MAIL.exec(path);
        if (match === null) continue;
        if (rawMimes.get(match[1] ?? '') !== text(path)) {
          add(
            path,
            `${path} is not the confirmation mail a signed event of the opt-in service carries.`,
            `${path} is niet de bevestigingsmail die een ondertekende gebeurtenis van de opt-in-service bevat.`,
          );
        }
      }
    }
  }

  return result({
    addressSha256: manifest.subject.addressSha256,
    purpose: manifest.purpose,
    createdAt: manifest.createdAt,
    keyFingerprint: fingerprint,
    files: manifest.files.length,
    personEvents: events.data.personEvents.length,
    anchor: { seq: anchor.seq, hash: anchor.hash, at: anchor.at },
    rows: rows.data.rows.length,
    optinEvents,
  });
}

/** Where a key stands in a part's key list (JSON text); -1 when absent or the list is unreadable. */
function keyIndex(keys: string, key: string): number {
  try {
    return (JSON.parse(keys) as unknown[]).findIndex((candidate) => JSON.stringify(candidate) === key);
  } catch {
    // A damaged key list proves nothing: treated as the key not being in it.
    return -1;
  }
}
