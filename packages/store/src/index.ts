export type { Database } from './database.js';
export { openStore, createStore } from './store.js';
export type { Store, OpenStoreOptions } from './store.js';
