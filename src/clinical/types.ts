// The clinical core's vocabulary. Everything downstream (cards, model chain, SMART page, audit)
// reads these types; nothing downstream reads raw FHIR. Every fact keeps the `Type/id` of the
// resource it came from so a statement can always be traced back to its input.
// This module is the one import for that vocabulary; the definitions live by concern in the three files below.
export * from './assessment-types.ts';
export * from './finding-types.ts';
export * from './snapshot-types.ts';
