import type { ApiContext } from '../context.js';
import { earlierSigningKey } from './acknowledgement-trust.js';
import { anchorSignerFor } from './anchor-signer.js';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key.js';

/**
 * The installation's signing key for whatever signs (acknowledgements, proof bundles): the saved one, or
 * a new one only when nothing in the database was signed before (never a silent new key, issue 14). A key
 * made now also signs the store's anchors from now on, so the next open checks them against it (issue 12).
 *
 * @throws {UserError} SIGNING_KEY_LOST when the key that signed earlier acknowledgements is missing.
 * @example
 * const { key, created } = await installationSigningKey(ctx);
 */
export async function installationSigningKey(
  ctx: Pick<ApiContext, 'store' | 'secrets'>,
): Promise<{ key: SigningKey; created: boolean }> {
  const loaded = await loadOrCreateSigningKey(ctx.secrets, () => earlierSigningKey(ctx.store.db));
  if (loaded.created && ctx.store.anchorSigner === undefined)
    ctx.store.adoptAnchorSigner(anchorSignerFor(loaded.key));
  return loaded;
}
