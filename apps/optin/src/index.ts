export { createOptinServer } from './server.js';
export type { OptinServer, OptinServerOptions } from './server.js';
export { OptinConfig, defaultConfig, loadConfigFile, parseConfig } from './config.js';
export type { OptinConfigInput, FormConfig, DatabaseConfig } from './config.js';
export { canonicalJson, verifyEvent } from './crypto.js';
export type { SignedEventBody } from './crypto.js';
export type { PublishedEvent, FeedEventType } from './feed.js';
