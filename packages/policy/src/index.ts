export * from './enums.js';
export * from './contact-record.js';
export * from './mailing-context.js';
export * from './user-error.js';
