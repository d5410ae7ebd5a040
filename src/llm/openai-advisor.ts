// The advisor for an OpenAI-compatible endpoint, assembled from three parts: the LangChain adapter
// (openai-chat.ts) makes the wire call, the advice chain (advice-chain.ts) renders the prompt and
// checks the answer, and the resilience wrapper (resilient-advisor.ts) keeps it all inside the
// hook's time budget. The wiring (src/server/runtime.ts) chooses it when an endpoint is configured.
import type { Config } from '../config.ts';
import { type AdviceChainOptions, createAdviceChain } from './advice-chain.ts';
import type { StructuredChatModel } from './chat-model.ts';
import { createOpenAIChatModel } from './openai-chat.ts';
import {
  createResilientAdvisor,
  type ResilienceOptions,
  type ResilientAdvisor,
} from './resilient-advisor.ts';

/** Placeholder for keyless OpenAI-compatible servers (the client insists on some key). */
const NO_API_KEY = 'no-key-configured';

export interface OpenAIAdvisorOptions
  extends Omit<AdviceChainOptions, 'chat'>,
    Omit<ResilienceOptions, 'waitCapMs'> {
  /** Replace the HTTP adapter (another provider, or a test double). */
  chatModel?: StructuredChatModel;
}

export type OpenAIAdvisor = ResilientAdvisor;

export function createOpenAIAdvisor(
  config: Pick<
    Config,
    'LLM_TIMEOUT_MS' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'LLM_MODEL' | 'LLM_TEMPERATURE'
  >,
  options: OpenAIAdvisorOptions = {},
): OpenAIAdvisor {
  const { chatModel, prompts, promptsDir, pinnedPrompts, maxPromptTokens, ...resilience } = options;
  // An attempt may outlive the hook's wait (it finishes in the background and is cached), but not
  // by much: a hung endpoint must not hold a call slot for minutes.
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 3 * config.LLM_TIMEOUT_MS;
  const chat =
    chatModel ??
    createOpenAIChatModel({
      apiKey: config.OPENAI_API_KEY ?? NO_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.LLM_MODEL,
      temperature: config.LLM_TEMPERATURE,
      timeoutMs: attemptTimeoutMs,
    });
  const chain = createAdviceChain({ chat, prompts, promptsDir, pinnedPrompts, maxPromptTokens });
  return createResilientAdvisor(chain, { ...resilience, waitCapMs: config.LLM_TIMEOUT_MS, attemptTimeoutMs });
}
