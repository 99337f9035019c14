/** Public API of the pure governance rules; see README.md in this folder. */
export * from './body-rules';
export * from './kinds';
export * from './defaults';
export * from './time';
export * from './holidays';
export * from './series';
export * from './notice';
export * from './deadlines';
export * from './plan';
export * from './plan-order';
export * from './compliance';
export * from './escalation';
export * from './quorum';
