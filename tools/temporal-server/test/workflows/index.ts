// Entry point of the workflow bundle used by every conformance test.
export * from './basics';
export * from './activities';
export * from './children';
export * from './features';
export * from './scenarios';
