// The port for a structured chat call, provider-neutral: what the advice chain asks of a model
// adapter (openai-chat.ts is one), and the typed error every adapter throws, which the resilience
// wrapper reads to decide on retries and the circuit breaker.
import type { z } from 'zod';
import type { PromptTemplate } from './prompts.ts';

export type ModelErrorKind =
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'client'
  | 'malformed'
  | 'schema'
  | 'refusal'
  | 'truncated'
  | 'aborted'
  // A fault in our own code (e.g. a TypeError), which says nothing about the endpoint.
  | 'internal';

const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set(['rate-limit', 'server', 'network']);
/** Kinds where the endpoint answered and the model's output was unusable. */
const OUTPUT_PROBLEMS: ReadonlySet<ModelErrorKind> = new Set(['malformed', 'schema', 'refusal', 'truncated']);

export class ModelCallError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; rawOutput?: string } = {},
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
  get outputProblem(): boolean {
    return OUTPUT_PROBLEMS.has(this.kind);
  }
}

export interface ModelReply {
  /** The structured output, still unknown: the caller checks it. */
  parsed: unknown;
  rawOutput?: string;
  usage?: { promptTokens: number; completionTokens: number };
}

export interface StructuredCall {
  prompt: PromptTemplate;
  values: Record<string, string>;
  schema: z.ZodType;
  signal?: AbortSignal;
  metadata?: Record<string, string>;
}

/** Port for the structured chat call; tests and other providers can supply their own. */
export interface StructuredChatModel {
  readonly provider: string;
  readonly model: string;
  readonly temperature: number;
  invoke(call: StructuredCall): Promise<ModelReply>;
}
