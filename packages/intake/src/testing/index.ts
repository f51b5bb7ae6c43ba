export { startDovecot } from './dovecot.js';
export type { DovecotOptions, DovecotServer } from './dovecot.js';
