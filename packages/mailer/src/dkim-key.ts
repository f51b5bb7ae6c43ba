import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { UserError } from '@consent-mailer/policy';

/** What a usable DKIM private key is, and the DNS record that publishes its public half. */
export interface DkimKeyInfo {
  /** The DKIM signing algorithm the key makes (RFC 6376, RFC 8463). */
  algorithm: 'rsa-sha256' | 'ed25519-sha256';
  /** RSA modulus length; 256 for Ed25519. */
  bits: number;
  /** Advice that does not refuse the key (an RSA key under 2048 bits), in both languages. */
  warnings: { code: string; en: string; nl: string }[];
  /** The TXT value to publish at `<selector>._domainkey.<domain>`: `v=DKIM1; k=rsa; p=…`. */
  dnsRecord: string;
  /** The `p=` value alone (base64), to compare with what DNS serves. */
  publicKeyBase64: string;
}

// RFC 8301: verifiers must refuse RSA keys under 1024 bits; 2048 is what Gmail and Microsoft ask for.
const RSA_MIN_BITS = 1024;
const RSA_RECOMMENDED_BITS = 2048;

const WHAT_TO_PASTE = {
  en: 'Paste the whole private key file as it is, several lines from "-----BEGIN PRIVATE KEY-----" (or "-----BEGIN RSA PRIVATE KEY-----") to "-----END PRIVATE KEY-----", not the DNS record or the public key.',
  nl: 'Plak het hele privésleutelbestand zoals het is, meerdere regels van "-----BEGIN PRIVATE KEY-----" (of "-----BEGIN RSA PRIVATE KEY-----") tot "-----END PRIVATE KEY-----", niet het DNS-record of de publieke sleutel.',
};

const cache = new Map<string, DkimKeyInfo>();

/**
 * Checks a DKIM private key the moment it is entered: a PEM private key (PKCS#8 or PKCS#1), unencrypted,
 * RSA of at least 1024 bits (a warning under 2048) or Ed25519. The three usual mistakes each get their
 * own message: a public key or DNS record given instead, the key pasted on one line (line breaks lost),
 * and text that only looks like a key.
 *
 * @throws {UserError} SMTP_DKIM_KEY_PUBLIC, SMTP_DKIM_KEY_ONE_LINE, SMTP_DKIM_KEY_NOT_PEM,
 *   SMTP_DKIM_KEY_UNREADABLE, SMTP_DKIM_KEY_ENCRYPTED, SMTP_DKIM_KEY_TOO_SHORT, SMTP_DKIM_KEY_TYPE
 * @example
 * const info = validateDkimPrivateKey(pem);
 * info.dnsRecord; // 'v=DKIM1; k=rsa; p=MIIBIjANBg…'
 */
export function validateDkimPrivateKey(pem: string): DkimKeyInfo {
  const cached = cache.get(pem);
  if (cached) return cached;
  const info = inspect(pem);
  if (cache.size >= 16) cache.clear();
  cache.set(pem, info);
  return info;
}

function inspect(input: string): DkimKeyInfo {
  const text = input.trim();
  if (
    /-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(text) ||
    /(^|;)\s*v=DKIM1\b|(^|;)\s*p=[A-Za-z0-9+/]/.test(text)
  ) {
    throw new UserError('SMTP_DKIM_KEY_PUBLIC', {
      en: `This is the public DKIM key (or its DNS record), which belongs in DNS. The program needs the private key to sign. ${WHAT_TO_PASTE.en}`,
      nl: `Dit is de publieke DKIM-sleutel (of het DNS-record ervan); die hoort in de DNS. Het programma heeft de privésleutel nodig om te ondertekenen. ${WHAT_TO_PASTE.nl}`,
    });
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text)) {
    throw new UserError('SMTP_DKIM_KEY_ENCRYPTED', {
      en: 'This DKIM private key is protected with a passphrase, which cannot be used for signing unattended. Export it without a passphrase (openssl pkey -in key.pem -out plain.pem) and paste that.',
      nl: 'Deze DKIM-privésleutel is beveiligd met een wachtwoordzin; daarmee kan niet automatisch worden ondertekend. Exporteer hem zonder wachtwoordzin (openssl pkey -in key.pem -out plain.pem) en plak die.',
    });
  }
  const armor = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!armor) {
    throw new UserError('SMTP_DKIM_KEY_NOT_PEM', {
      en: `This is not a PEM private key: the "-----BEGIN PRIVATE KEY-----" line is missing. ${WHAT_TO_PASTE.en}`,
      nl: `Dit is geen PEM-privésleutel: de regel "-----BEGIN PRIVATE KEY-----" ontbreekt. ${WHAT_TO_PASTE.nl}`,
    });
  }
  const body = armor[2] ?? '';
  // A pasted key that lost its line breaks (a web form, a chat message) cannot be read by OpenSSL.
  if (!/\n/.test(body.trim()) && body.replace(/\s/g, '').length > 76) {
    throw new UserError('SMTP_DKIM_KEY_ONE_LINE', {
      en: `The DKIM private key was pasted on one line: its line breaks were lost. ${WHAT_TO_PASTE.en} Copy it from the key file itself (open it in a text editor), keeping every line.`,
      nl: `De DKIM-privésleutel is op één regel geplakt: de regeleinden zijn verloren gegaan. ${WHAT_TO_PASTE.nl} Kopieer hem uit het sleutelbestand zelf (open het in een teksteditor) en behoud alle regels.`,
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new UserError('SMTP_DKIM_KEY_UNREADABLE', {
      en: `This looks like a PEM private key but its contents are not a key (damaged or incomplete). ${WHAT_TO_PASTE.en} If in doubt, create a new key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) and publish its DNS record.`,
      nl: `Dit lijkt op een PEM-privésleutel, maar de inhoud is geen sleutel (beschadigd of onvolledig). ${WHAT_TO_PASTE.nl} Maak bij twijfel een nieuwe sleutel (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) en publiceer het DNS-record ervan.`,
    });
  }
  const type = key.asymmetricKeyType;
  const publicKey = createPublicKey(key);
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS) {
      throw new UserError('SMTP_DKIM_KEY_TOO_SHORT', {
        en: `This RSA key has ${bits} bits; receivers refuse DKIM keys under ${RSA_MIN_BITS} bits. Create a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), publish its DNS record and paste the new private key.`,
        nl: `Deze RSA-sleutel heeft ${bits} bits; ontvangers weigeren DKIM-sleutels onder ${RSA_MIN_BITS} bits. Maak een sleutel van 2048 bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), publiceer het DNS-record en plak de nieuwe privésleutel.`,
      });
    }
    const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    return {
      algorithm: 'rsa-sha256',
      bits,
      warnings:
        bits < RSA_RECOMMENDED_BITS
          ? [
              {
                code: 'SMTP_DKIM_KEY_WEAK',
                en: `This RSA key has ${bits} bits. It works, but Gmail and Microsoft recommend 2048 bits; replace it when you can.`,
                nl: `Deze RSA-sleutel heeft ${bits} bits. Dat werkt, maar Gmail en Microsoft raden 2048 bits aan; vervang hem wanneer het kan.`,
              },
            ]
          : [],
      dnsRecord: `v=DKIM1; k=rsa; p=${p}`,
      publicKeyBase64: p,
    };
  }
  if (type === 'ed25519') {
    // RFC 8463: p= is the bare 32-byte key, the last 32 bytes of its SubjectPublicKeyInfo.
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const p = der.subarray(der.length - 32).toString('base64');
    return {
      algorithm: 'ed25519-sha256',
      bits: 256,
      warnings: [],
      dnsRecord: `v=DKIM1; k=ed25519; p=${p}`,
      publicKeyBase64: p,
    };
  }
  throw new UserError('SMTP_DKIM_KEY_TYPE', {
    en: `This is a ${type ?? 'unknown'} key; DKIM signs with RSA (2048 bits) or Ed25519 only. Create an RSA key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) and paste it.`,
    nl: `Dit is een ${type ?? 'onbekende'} sleutel; DKIM ondertekent alleen met RSA (2048 bits) of Ed25519. Maak een RSA-sleutel (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) en plak die.`,
  });
}
