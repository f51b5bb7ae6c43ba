import { loadContactRecords, type LoadedContactRecord } from './contact-records.js';
import type { Executor } from './event-log.js';

/** Members per page: one query of this many rows takes a few tens of milliseconds. */
const PAGE_ROWS = 5_000;

/**
 * A mailing's recipients (the list's members, with the sender entity's consent) loaded page by page in
 * contact-id order, letting the event loop run between pages, so a host with a UI (the desktop main
 * process) is never blocked for the seconds one 100,000-row query and its mapping take. The same records
 * as `loadContactRecords(db, { listId, senderEntityId })`, in the same order.
 *
 * @example
 * const records = await loadListRecordsInChunks(db, { listId, senderEntityId: 'bakkerij' });
 */
export async function loadListRecordsInChunks(
  db: Executor,
  selector: { listId: string; senderEntityId: string },
  options: { pageRows?: number } = {},
): Promise<LoadedContactRecord[]> {
  const records: LoadedContactRecord[] = [];
  for await (const page of listRecordPages(db, selector, options))
    for (const record of page) records.push(record);
  return records;
}

/**
 * The same records as {@link loadListRecordsInChunks}, one page at a time, for a caller that needs each
 * record only once (an assessment): it never holds more than a page, so 100,000 recipients do not sit in
 * memory together. The event loop runs between pages.
 *
 * @example
 * for await (const page of listRecordPages(db, { listId, senderEntityId: 'bakkerij' })) assessor.add(…);
 */
export async function* listRecordPages(
  db: Executor,
  selector: { listId: string; senderEntityId: string },
  options: { pageRows?: number } = {},
): AsyncGenerator<LoadedContactRecord[]> {
  const limit = options.pageRows ?? PAGE_ROWS;
  let afterContactId = 0;
  for (;;) {
    const page = await loadContactRecords(db, { ...selector, page: { afterContactId, limit } });
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (last === undefined || page.length < limit) return;
    afterContactId = last.contactId;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
