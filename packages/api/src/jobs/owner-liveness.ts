import { hostname } from 'node:os';

/** A heartbeat older than this means the writer is gone (imports beat once per chunk, well under a second). */
export const IMPORT_STALE_HEARTBEAT_MS = 2 * 60_000;

/** The process that owns a long write (an import), as stored beside it. */
export interface OwnerRecord {
  pid: number | null;
  host: string | null;
  heartbeatAt: string | null;
}

/**
 * Whether the owner of a long write still lives, the way the mailing worker's claim is checked: on this
 * host by its process id (a signal 0 probe; EPERM means it exists under another user), and by a fresh
 * heartbeat otherwise. This process itself counts only with a fresh heartbeat, because it may run several
 * api contexts (tests, a restarted window) and a job of another one may have died without ending its batch.
 *
 * @example
 * const alive = isOwnerAlive({ pid: 4242, host: 'laptop', heartbeatAt }, Date.now());
 */
export function isOwnerAlive(
  owner: OwnerRecord,
  nowMs: number,
  staleMs = IMPORT_STALE_HEARTBEAT_MS,
): boolean {
  const fresh = owner.heartbeatAt !== null && nowMs - Date.parse(owner.heartbeatAt) < staleMs;
  if (owner.host === hostname() && owner.pid !== null) {
    if (owner.pid === process.pid) return fresh;
    try {
      process.kill(owner.pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to someone else; ESRCH: it is gone.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return fresh;
}
