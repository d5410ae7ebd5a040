import type { Assessment, Citation, ClinicalSnapshot, ResourceRef } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';

export type AdviceKind = 'summary' | 'triage';

export interface AdviceRequest {
  kind: AdviceKind;
  snapshot: ClinicalSnapshot;
  assessment: Assessment;
  /** Passages retrieved for this request: the only ones the model may cite. */
  passages: Passage[];
  /** Milliseconds left of the hook's time budget. */
  budgetMs: number;
  /**
   * Known identifying strings (patient name parts, MRN, phone, …) to scrub from free text on top
   * of the pattern-based redaction; build with `phiTermsFromResources(resources)`.
   */
  phiTerms?: string[];
  /**
   * The pipeline's hash of the snapshot's facts, when it has one; the advisor's cache key then uses
   * it instead of hashing the snapshot again. It must leave out the "as of" time.
   */
  snapshotHash?: string;
}

/** A sentence that survived the grounding verifier. */
export interface VerifiedStatement {
  text: string;
  evidence: ResourceRef[];
  citations: Citation[];
}

export interface DroppedStatement {
  text: string;
  reason: string;
  /** Machine-readable reason (see DropCode in verify.ts), for counting. */
  code?: string;
}

export interface TriageAdvice {
  suggestedLevel: 1 | 2 | 3 | 4 | 5;
  expectedResources: string[];
  redFlags: VerifiedStatement[];
  rationale: VerifiedStatement[];
  /** Rationale statements the verifier dropped (a level below 3 needs none dropped). */
  rationaleDropped?: number;
}

export type AdviceStatus =
  | 'ok' // model answered and enough survived verification
  | 'disabled' // deterministic mode: no model configured
  | 'timeout' // missed the time budget (may finish in the background)
  | 'fallback' // malformed, refused, schema violation, or too little survived
  | 'error' // endpoint failed after retries
  | 'circuit-open'; // breaker open: the endpoint was not called

export interface AdviceResult {
  kind: AdviceKind;
  status: AdviceStatus;
  /** Whether the answer came from the cache of finished background work. */
  cached?: boolean;
  model?: { provider: string; name: string; temperature: number };
  prompt?: { id: string; version: string; sha256: string };
  rawOutput?: string;
  parsed?: unknown;
  statements: VerifiedStatement[];
  dropped: DroppedStatement[];
  triage?: TriageAdvice;
  usage?: { promptTokens: number; completionTokens: number };
  error?: string;
  durationMs: number;
  /** Dropped statements counted by reason code. */
  droppedCounts?: Record<string, number>;
  /** Tokens of the rendered prompt (system + user) by our own count. */
  promptTokens?: number;
}

/** Port: the model. `NoAdvisor` is deterministic mode. */
export interface Advisor {
  readonly enabled: boolean;
  /**
   * Label for card sources, e.g. 'gpt-4o-mini · prompt triage-rationale@1' (for one task kind) or
   * 'no model used (deterministic mode)'.
   */
  describe(kind?: AdviceKind): string;
  advise(request: AdviceRequest): Promise<AdviceResult>;
}

export const noAdvisor: Advisor = {
  enabled: false,
  describe: () => 'no model used (deterministic mode)',
  advise: async (request) => ({
    kind: request.kind,
    status: 'disabled',
    statements: [],
    dropped: [],
    durationMs: 0,
  }),
};
