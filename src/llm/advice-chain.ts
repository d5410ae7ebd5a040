// The model's task, provider-neutral: choose the prompt, render the patient within the token
// budget, key the cache, make one structured call through a chat model adapter and check the answer
// (advice-outcome.ts). Budget, cache, retries and breaker are the wrapper's (resilient-advisor.ts).
import { adviceCacheKey, adviceInputHash } from './advice-cache.ts';
import { outcomeOf } from './advice-outcome.ts';
import type { ModelReply, StructuredChatModel } from './chat-model.ts';
import { loadPrompts, type PromptTemplate, renderPrompt, selectPrompt } from './prompts.ts';
import { renderAdviceInput } from './render.ts';
import { OUTPUT_SCHEMAS } from './schemas.ts';
import { countMessageTokens, countTokens, warmUp } from './tokens.ts';
import type { AdviceKind, AdviceRequest, AdviceResult } from './types.ts';

export interface AdviceChainOptions {
  chat: StructuredChatModel;
  prompts?: PromptTemplate[];
  promptsDir?: string;
  /** Pin prompt versions per task, e.g. { triage: 'triage-rationale@1' }. */
  pinnedPrompts?: Partial<Record<AdviceKind, string>>;
  /** Token budget for the whole prompt (system + user); default 2500. */
  maxPromptTokens?: number;
}

/** One request, ready to send: its cache key, what its results record, the call itself. */
export interface PreparedAdvice {
  /** Input hash, prompt id and version, model and "as of" bucket (see adviceCacheKey). */
  key: string;
  /** The prompt sent and its size, recorded on every result of this request. */
  stamp(): Pick<AdviceResult, 'prompt' | 'promptTokens'>;
  /** One structured call; an adapter failure is a ModelCallError. */
  invoke(signal: AbortSignal): Promise<ModelReply>;
  /** The reply checked against the schema and the grounding verifier. */
  outcome(common: Omit<AdviceResult, 'status'>, reply: ModelReply): AdviceResult;
}

export interface AdviceChain {
  readonly model: NonNullable<AdviceResult['model']>;
  /** Card source label, e.g. 'gpt-4o-mini · prompt triage-rationale@2'. */
  describe(kind?: AdviceKind): string;
  /** Throws when no prompt can be built for the request. */
  prepare(request: AdviceRequest): Promise<PreparedAdvice>;
}

export function createAdviceChain(options: AdviceChainOptions): AdviceChain {
  const { chat } = options;
  // The tokeniser takes about a second to build: pay that now, not inside the first hook.
  warmUp();
  const prompts = options.prompts ?? loadPrompts(options.promptsDir);
  const promptFor = (kind: AdviceKind) => selectPrompt(prompts, kind, options.pinnedPrompts?.[kind]);
  const maxPromptTokens = options.maxPromptTokens ?? 2500;
  return {
    model: { provider: chat.provider, name: chat.model, temperature: chat.temperature },
    describe(kind) {
      const list = kind ? [promptFor(kind)] : (['triage', 'summary'] as const).map(promptFor);
      return `${chat.model} · prompt${list.length > 1 ? 's' : ''} ${list.map((x) => `${x.id}@${x.version}`).join(', ')}`;
    },
    async prepare(request) {
      const prompt = promptFor(request.kind);
      const systemTokens = countTokens(prompt.system) + 40;
      const maxTokens = Math.max(400, maxPromptTokens - systemTokens);
      const rendered = renderAdviceInput(request, { maxTokens });
      const messages = await renderPrompt(prompt, { input: rendered.text });
      const key = adviceCacheKey({
        inputHash: adviceInputHash(request),
        promptId: prompt.id,
        promptVersion: prompt.version,
        model: chat.model,
        asOf: request.snapshot.at,
      });
      return {
        key,
        stamp: () => ({
          prompt: { id: prompt.id, version: prompt.version, sha256: messages.sha256 },
          promptTokens: countMessageTokens(messages.messages),
        }),
        invoke: (signal) =>
          chat.invoke({
            prompt,
            values: { input: rendered.text },
            schema: OUTPUT_SCHEMAS[prompt.output],
            signal,
            metadata: { promptSha256: messages.sha256 },
          }),
        outcome: (common, reply) => outcomeOf(request, prompt, rendered, common, reply),
      };
    },
  };
}
