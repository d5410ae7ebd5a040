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
}

export interface TriageAdvice {
  suggestedLevel: 1 | 2 | 3 | 4 | 5;
  expectedResources: string[];
  redFlags: VerifiedStatement[];
  rationale: VerifiedStatement[];
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
}

/** Port: the model. `NoAdvisor` is deterministic mode. */
export interface Advisor {
  readonly enabled: boolean;
  /** Label for card sources, e.g. 'gpt-4o-mini, prompt triage@3' or 'no model'. */
  describe(): string;
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
