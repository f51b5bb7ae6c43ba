// The double opt-in flow of the service: sign-up, confirmation mail, confirm, unsubscribe, preferences.
// Over 400 lines because the steps share the signed event data and the confirmation tokens.
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { emailAddressSpelling, normalizeEmailAddress } from '@consent-mailer/policy';
import type { AltchaGuard } from './altcha.js';
import type { FormConfig, Language, OptinConfig } from './config.js';
import { randomToken, sha256Hex, tokenHash } from './crypto.js';
import type { OptinDb, SignupTable } from './database.js';
import { appendFeedEvent } from './feed.js';
import type { OptinMailer } from './mail.js';
import { t } from './texts.js';

export interface ServiceDeps {
  db: OptinDb;
  config: OptinConfig;
  key: KeyObject;
  mailer: OptinMailer;
  /** The proof-of-work check on sign-ups; null when `altcha.enabled` is off. */
  altcha: AltchaGuard | null;
  now: () => Date;
  /** Where failures are reported without personal data. */
  logError: (message: string, error: unknown) => void;
}

export interface SignupInput {
  formId: string;
  formVersion: string;
  consentTextVersion: string;
  email: string;
  lists: string[];
  language: Language;
  honeypot: string;
  /** The Altcha widget's payload ('' when the form sent none); only read when Altcha is on. */
  altcha: string;
  ip: string;
  userAgent: string;
  source: string;
}

/**
 * What the sign-up answers; 'accepted' is also the answer when nothing was sent, so nobody can probe
 * addresses. The altcha_ answers say why the proof of work was refused (nothing was written or mailed).
 */
export type SignupOutcome =
  | 'accepted'
  | 'invalid'
  | 'rate_limited'
  | 'altcha_missing'
  | 'altcha_invalid'
  | 'altcha_expired'
  | 'altcha_replayed';

const DAY_MS = 86_400_000;
const NONCE_TTL_MS = 60 * 60 * 1000;

function findForm(config: OptinConfig, id: string): FormConfig | undefined {
  return config.forms.find((form) => form.id === id);
}

/**
 * Records a sign-up and sends the confirmation mail, within the abuse limits.
 *
 * @example
 * await handleSignup(deps, { formId: 'newsletter', email: 'jan@example.nl', ... }); // 'accepted'
 */
export async function handleSignup(deps: ServiceDeps, input: SignupInput): Promise<SignupOutcome> {
  const { db, config } = deps;
  // A bot filled the field people cannot see: answer as usual, do nothing.
  if (input.honeypot.trim() !== '') return 'accepted';
  const form = findForm(config, input.formId);
  const consent = form?.consentTexts.find((c) => c.version === input.consentTextVersion);
  if (!form || !consent) return 'invalid';
  // The spelling the person typed is what mail goes to and what the feed reports; limits, suppressions and
  // hashes use the one address identity (case-insensitive, IDN-normalised), as the desktop store does.
  let email: string;
  let identity: string;
  try {
    email = emailAddressSpelling(input.email);
    identity = normalizeEmailAddress(input.email);
  } catch {
    return 'invalid';
  }
  if (email.length > 254) return 'invalid';
  const known = new Set(form.lists.map((list) => list.id));
  const lists = [...new Set(input.lists)].filter((list) => known.has(list));
  if (lists.length === 0) return 'invalid';
  // After the cheap checks, so a typo in the address does not use up the visitor's solved challenge;
  // before anything is written, so a refused proof leaves no trace.
  if (deps.altcha) {
    const verdict = await deps.altcha.spend(input.altcha);
    if (verdict !== 'ok') return `altcha_${verdict}`;
  }

  const now = deps.now();
  const nowIso = now.toISOString();
  const ipHash = sha256Hex(`ip:${input.ip}`);
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const ipHits = await db
    .selectFrom('ip_hit')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('ip_hash', '=', ipHash)
    .where('at', '>', hourAgo)
    .executeTakeFirstOrThrow();
  if (Number(ipHits.n) >= config.limits.signupsPerIpPerHour) return 'rate_limited';
  await db.insertInto('ip_hit').values({ ip_hash: ipHash, at: nowIso }).execute();

  await requestConfirmation(deps, form, consent, {
    email,
    identity,
    lists,
    language: input.language,
    formVersion: input.formVersion,
    ip: input.ip,
    userAgent: input.userAgent,
    source: input.source,
  });
  return 'accepted';
}

/** One consent text version of a form. */
export type ConsentTextConfig = FormConfig['consentTexts'][number];

/** A person to ask for confirmation: the checked address, lists and where the request came from. */
export interface ConfirmationRequest {
  /** The spelling mail goes to (emailAddressSpelling). */
  email: string;
  /** The one address identity (normalizeEmailAddress) that limits, suppressions and hashes use. */
  identity: string;
  lists: string[];
  language: Language;
  formVersion: string;
  /** The sign-up's IP and browser; null when nobody filled a form (a re-permission request). */
  ip: string | null;
  userAgent: string | null;
  source: string;
}

/** What one confirmation request came to (the public sign-up answers 'accepted' for each of these). */
export type ConfirmationOutcome = 'sent' | 'suppressed' | 'limited' | 'mail_failed';

/**
 * Records a pending sign-up (a signed `signed_up` event) and sends its confirmation mail, within the
 * per-address limits (a day, a month) and never to a suppressed address. `mail` words the request (the
 * sign-up's own confirmation mail by default).
 */
export async function requestConfirmation(
  deps: ServiceDeps,
  form: FormConfig,
  consent: ConsentTextConfig,
  input: ConfirmationRequest,
  mail: (link: string) => { subject: string; text: string } = (link) => ({
    subject: t('confirmMailSubject', input.language),
    text: t('confirmMailBody', input.language, { controller: deps.config.controller.legalName, link }),
  }),
): Promise<ConfirmationOutcome> {
  const { db, config } = deps;
  const { email, identity, lists } = input;
  const now = deps.now();
  const nowIso = now.toISOString();
  // The same hash the desktop store uses (sha256 of the normalised address), so suppressions match.
  const emailHash = sha256Hex(identity);
  const suppressed = await db
    .selectFrom('suppression')
    .select('email_hash')
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
  if (suppressed) return 'suppressed';

  const token = randomToken();
  const unsubscribeToken = randomToken();
  const text = consent.text[input.language];
  const signupId = randomUUID();
  const claimed = await db.transaction().execute(async (trx) => {
    const monthAgo = new Date(now.getTime() - 30 * DAY_MS).toISOString();
    const month = await trx
      .selectFrom('mail_slot')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('email_hash', '=', emailHash)
      .where('sent_at', '>', monthAgo)
      .executeTakeFirstOrThrow();
    if (Number(month.n) >= config.limits.mailsPerAddressPerMonth) return false;
    // The primary key (address, day slot) makes the daily limit hold under concurrent sign-ups and instances.
    const day = nowIso.slice(0, 10);
    let slot = false;
    for (let n = 1; n <= config.limits.mailsPerAddressPerDay && !slot; n++) {
      const result = await trx
        .insertInto('mail_slot')
        .values({ email_hash: emailHash, day: `${day}#${n}`, sent_at: nowIso })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      slot = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    }
    if (!slot) return false;
    const row: SignupTable = {
      id: signupId,
      email,
      email_hash: emailHash,
      language: input.language,
      form_id: form.id,
      form_version: input.formVersion.slice(0, 64),
      consent_text_version: consent.version,
      consent_text_sha256: sha256Hex(text),
      lists: JSON.stringify(lists),
      signup_at: nowIso,
      signup_ip: input.ip,
      signup_user_agent: input.userAgent === null ? null : input.userAgent.slice(0, 512),
      source: input.source.slice(0, 2048),
      confirm_token_hash: tokenHash(token),
      token_expires_at: new Date(now.getTime() + config.tokenTtlDays * DAY_MS).toISOString(),
      confirm_mail_sent_at: null,
      confirm_message_id: null,
      confirm_raw_mime: null,
      confirm_smtp_reply: null,
      confirmed_at: null,
      confirm_method: null,
      confirm_ip: null,
      confirm_user_agent: null,
      unsubscribe_token_hash: tokenHash(unsubscribeToken),
      unsubscribed_at: null,
      last_event_seq: null,
    };
    await trx.insertInto('signup').values(row).execute();
    const seq = await appendFeedEvent(trx, deps.key, 'signed_up', signupEventData(row, text), nowIso);
    await trx.updateTable('signup').set({ last_event_seq: seq }).where('id', '=', signupId).execute();
    return true;
  });
  if (!claimed) return 'limited';

  const link = `${config.publicUrl.replace(/\/$/, '')}/confirm/${token}`;
  try {
    const sent = await deps.mailer.send(
      {
        to: email,
        ...mail(link),
        language: input.language,
      },
      deps.now,
    );
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('signup')
        .set({
          confirm_mail_sent_at: sent.sentAt,
          confirm_message_id: sent.messageId,
          confirm_raw_mime: sent.rawMime,
          confirm_smtp_reply: sent.smtpReply,
        })
        .where('id', '=', signupId)
        .execute();
      const seq = await appendFeedEvent(
        trx,
        deps.key,
        'confirmation_mail_sent',
        {
          signupId,
          emailHash,
          sentAt: sent.sentAt,
          messageId: sent.messageId,
          smtpReply: sent.smtpReply,
          rawMimeSha256: sha256Hex(sent.rawMime),
        },
        sent.sentAt,
      );
      await trx.updateTable('signup').set({ last_event_seq: seq }).where('id', '=', signupId).execute();
    });
  } catch (error) {
    deps.logError('confirmation mail failed', error);
    return 'mail_failed';
  }
  return 'sent';
}

function signupEventData(row: SignupTable, consentText: string): Record<string, unknown> {
  return {
    signupId: row.id,
    email: row.email,
    emailHash: row.email_hash,
    language: row.language,
    formId: row.form_id,
    formVersion: row.form_version,
    consentTextVersion: row.consent_text_version,
    consentTextSha256: row.consent_text_sha256,
    consentText,
    lists: JSON.parse(row.lists) as unknown,
    signupAt: row.signup_at,
    signupIp: row.signup_ip,
    signupUserAgent: row.signup_user_agent,
    source: row.source,
  };
}

export type ConfirmView =
  | { kind: 'invalid' }
  | { kind: 'confirmed'; language: Language }
  | { kind: 'ask'; language: Language; nonce: string };

async function findByConfirmToken(db: OptinDb, token: string) {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
  return db
    .selectFrom('signup')
    .selectAll()
    .where('confirm_token_hash', '=', tokenHash(token))
    .executeTakeFirst();
}

function languageOf(value: string): Language {
  return value === 'en' ? 'en' : 'nl';
}

/** GET (or HEAD) of the confirmation link: never confirms; issues the nonce the button's POST must bring. */
export async function viewConfirmation(deps: ServiceDeps, token: string): Promise<ConfirmView> {
  const row = await findByConfirmToken(deps.db, token);
  if (!row) return { kind: 'invalid' };
  const language = languageOf(row.language);
  if (row.confirmed_at) return { kind: 'confirmed', language };
  const now = deps.now();
  if (row.token_expires_at <= now.toISOString() || row.unsubscribed_at) return { kind: 'invalid' };
  const nonce = randomToken();
  await deps.db
    .insertInto('confirm_nonce')
    .values({
      nonce_hash: tokenHash(nonce),
      signup_id: row.id,
      expires_at: new Date(now.getTime() + NONCE_TTL_MS).toISOString(),
      used_at: null,
    })
    .execute();
  return { kind: 'ask', language, nonce };
}

export type ConfirmOutcome =
  | { kind: 'invalid' }
  | { kind: 'bad_nonce'; language: Language }
  | { kind: 'confirmed'; language: Language; firstTime: boolean };

/** The human's POST: confirms once, records how; a repeat answers success and writes nothing. */
export async function confirmSignup(
  deps: ServiceDeps,
  token: string,
  nonce: string,
  client: { ip: string; userAgent: string },
): Promise<ConfirmOutcome> {
  const row = await findByConfirmToken(deps.db, token);
  if (!row) return { kind: 'invalid' };
  const language = languageOf(row.language);
  if (row.confirmed_at) return { kind: 'confirmed', language, firstTime: false };
  const now = deps.now();
  const nowIso = now.toISOString();
  if (row.token_expires_at <= nowIso || row.unsubscribed_at) return { kind: 'invalid' };
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return { kind: 'bad_nonce', language };
  const result = await deps.db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('confirm_nonce')
      .set({ used_at: nowIso })
      .where('nonce_hash', '=', tokenHash(nonce))
      .where('signup_id', '=', row.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) return 'bad_nonce' as const;
    const updated = await trx
      .updateTable('signup')
      .set({
        confirmed_at: nowIso,
        confirm_method: 'LINK_PAGE_BUTTON_POST',
        confirm_ip: client.ip,
        confirm_user_agent: client.userAgent.slice(0, 512),
      })
      .where('id', '=', row.id)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    // Two tabs pressing at once: the second one finds it confirmed already.
    if (Number(updated.numUpdatedRows) === 0) return 'repeat' as const;
    const form = findForm(deps.config, row.form_id);
    const text = form?.consentTexts.find((c) => c.version === row.consent_text_version)?.text[language] ?? '';
    const sentAt = row.confirm_mail_sent_at;
    const seq = await appendFeedEvent(
      trx,
      deps.key,
      'confirmed',
      {
        ...signupEventData(row, text),
        confirmTokenId: row.confirm_token_hash.slice(0, 32),
        confirmMailSentAt: sentAt,
        confirmMessageId: row.confirm_message_id,
        confirmSmtpReply: row.confirm_smtp_reply,
        confirmRawMime: row.confirm_raw_mime,
        confirmedAt: nowIso,
        confirmMethod: 'LINK_PAGE_BUTTON_POST',
        confirmIp: client.ip,
        confirmUserAgent: client.userAgent.slice(0, 512),
        secondsSinceMail: sentAt ? Math.round((now.getTime() - Date.parse(sentAt)) / 1000) : null,
      },
      nowIso,
    );
    await trx.updateTable('signup').set({ last_event_seq: seq }).where('id', '=', row.id).execute();
    return 'confirmed' as const;
  });
  if (result === 'bad_nonce') return { kind: 'bad_nonce', language };
  if (result === 'repeat') return { kind: 'confirmed', language, firstTime: false };
  await sendReceipt(deps, row, nowIso);
  return { kind: 'confirmed', language, firstTime: true };
}

/** The receipt after confirmation: what was agreed, the text version, the controller, how to withdraw. */
async function sendReceipt(deps: ServiceDeps, row: SignupTable, confirmedAt: string): Promise<void> {
  if (!row.email) return;
  const language = languageOf(row.language);
  const form = findForm(deps.config, row.form_id);
  const lists = (JSON.parse(row.lists) as string[])
    .map((id) => form?.lists.find((list) => list.id === id)?.name[language] ?? id)
    .join(', ');
  const text = form?.consentTexts.find((c) => c.version === row.consent_text_version)?.text[language] ?? '';
  // A fresh unsubscribe token for the receipt: the stored hash is the only copy kept.
  const unsubscribeToken = randomToken();
  await deps.db
    .updateTable('signup')
    .set({ unsubscribe_token_hash: tokenHash(unsubscribeToken) })
    .where('id', '=', row.id)
    .execute();
  const c = deps.config.controller;
  try {
    await deps.mailer.send(
      {
        to: row.email,
        subject: t('receiptSubject', language),
        text: t('receiptBody', language, {
          confirmedAt,
          controller: c.legalName,
          postalAddress: c.postalAddress,
          kvk: c.kvkNumber,
          lists,
          textVersion: row.consent_text_version,
          text,
          unsubscribe: `${deps.config.publicUrl.replace(/\/$/, '')}/unsubscribe?token=${unsubscribeToken}`,
          contactEmail: c.contactEmail,
        }),
        language,
      },
      deps.now,
    );
  } catch (error) {
    deps.logError('receipt mail failed', error);
  }
}

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * RFC 8058 one-click (and the page's button): unsubscribes from everything. Tokens this service issued
 * suppress the address here too; any other well-formed token (the desktop's per-delivery tokens) is
 * passed on to the desktop through the feed. A repeat writes nothing; the answer is always the same.
 */
export async function unsubscribe(deps: ServiceDeps, token: string, via: string): Promise<void> {
  if (!TOKEN_FORMAT.test(token)) return;
  const nowIso = deps.now().toISOString();
  const hash = tokenHash(token);
  await deps.db.transaction().execute(async (trx) => {
    const seen = await trx
      .insertInto('unsubscribe_seen')
      .values({ token_hash: hash, at: nowIso })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(seen.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    const row = await trx
      .selectFrom('signup')
      .selectAll()
      .where('unsubscribe_token_hash', '=', hash)
      .executeTakeFirst();
    if (!row) {
      await appendFeedEvent(trx, deps.key, 'unsubscribed', { token, lists: 'ALL', via, at: nowIso }, nowIso);
      return;
    }
    await trx
      .insertInto('suppression')
      .values({ email_hash: row.email_hash, at: nowIso })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .updateTable('signup')
      .set({ unsubscribed_at: nowIso })
      .where('email_hash', '=', row.email_hash)
      .execute();
    const seq = await appendFeedEvent(
      trx,
      deps.key,
      'unsubscribed',
      { signupId: row.id, email: row.email, emailHash: row.email_hash, lists: 'ALL', via, at: nowIso },
      nowIso,
    );
    await trx.updateTable('signup').set({ last_event_seq: seq }).where('id', '=', row.id).execute();
  });
}

/** The lists a service-issued unsubscribe token can choose between, or undefined for any other token. */
export async function preferencesFor(
  deps: ServiceDeps,
  token: string,
): Promise<{ language: Language; lists: { id: string; name: string; kept: boolean }[] } | undefined> {
  if (!TOKEN_FORMAT.test(token)) return undefined;
  const row = await deps.db
    .selectFrom('signup')
    .selectAll()
    .where('unsubscribe_token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.unsubscribed_at) return undefined;
  const language = languageOf(row.language);
  const kept = new Set(JSON.parse(row.lists) as string[]);
  const form = findForm(deps.config, row.form_id);
  return {
    language,
    lists: (form?.lists ?? []).map((list) => ({
      id: list.id,
      name: list.name[language],
      kept: kept.has(list.id),
    })),
  };
}

/** Saves the lists a subscriber keeps; none kept is an unsubscribe from everything. */
export async function savePreferences(deps: ServiceDeps, token: string, lists: string[]): Promise<void> {
  const current = await preferencesFor(deps, token);
  const known = new Set((current?.lists ?? []).map((list) => list.id));
  const keep = [...new Set(lists)].filter((list) => known.has(list));
  if (!current || keep.length === 0) {
    await unsubscribe(deps, token, 'preferences');
    return;
  }
  const nowIso = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('signup')
      .selectAll()
      .where('unsubscribe_token_hash', '=', tokenHash(token))
      .executeTakeFirstOrThrow();
    if (row.lists === JSON.stringify(keep)) return;
    await trx
      .updateTable('signup')
      .set({ lists: JSON.stringify(keep) })
      .where('id', '=', row.id)
      .execute();
    const seq = await appendFeedEvent(
      trx,
      deps.key,
      'preferences_changed',
      {
        signupId: row.id,
        email: row.email,
        emailHash: row.email_hash,
        lists: keep,
        removed: [...known].filter((l) => !keep.includes(l)),
        at: nowIso,
      },
      nowIso,
    );
    await trx.updateTable('signup').set({ last_event_seq: seq }).where('id', '=', row.id).execute();
  });
}
