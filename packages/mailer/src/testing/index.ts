export { startSmtpTestServer } from './smtp-test-server.js';
export type {
  FaultReply,
  ReceivedMessage,
  SmtpFaults,
  SmtpTestServer,
  SmtpTestServerOptions,
} from './smtp-test-server.js';
export { createMemoryOutboxStore } from './memory-outbox-store.js';
export type { MemoryDelivery, MemoryOutboxStore } from './memory-outbox-store.js';
