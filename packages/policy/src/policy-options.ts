import type { PolicyConfigInput } from './policy-config.js';

/** Options of every rule function: the current time is always passed in; rules never read a clock. */
export interface PolicyOptions {
  /** The moment of judgement, ISO-8601 or a Date. */
  now: string | Date;
  /** Threshold overrides and similar-category groups; defaults of docs/policy-rules.md when absent. */
  config?: PolicyConfigInput;
}
