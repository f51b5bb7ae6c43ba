export { startOptinTestService, TEST_BROWSER, TEST_FEED_TOKEN } from './test-service.js';
export type { OptinTestService, OptinTestServiceOptions, SignUpOptions } from './test-service.js';
