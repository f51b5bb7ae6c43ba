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
export { startDnsTestServer, txt } from './dns-test-server.js';
export type { DnsTestServer, TestZones } from './dns-test-server.js';
export { dkimpyVerify } from './dkimpy-verify.js';
export type { DkimpyResult } from './dkimpy-verify.js';
