// What a change does when it succeeded, in one shape for every feature's `queries.ts`: a screen only says
// what it shows after a change (a notice, a closed dialog, another page), never which queries to read again.

/** The screen's own reaction first (the notice shows at once), then what the change touched read again. */
export function afterRefresh<Result>(refresh: () => Promise<unknown>, onDone: (result: Result) => void) {
  return {
    onSuccess: async (result: Result) => {
      onDone(result);
      await refresh();
    },
  };
}

/**
 * What the change touched read again first, then the screen's reaction: for a reaction that opens a page
 * showing the changed data (a contact after adding it, the list after an erasure), so it never shows the
 * state from before the change out of the cache.
 */
export function refreshThen<Result>(refresh: () => Promise<unknown>, onDone: (result: Result) => void) {
  return {
    onSuccess: async (result: Result) => {
      await refresh();
      onDone(result);
    },
  };
}
