// Chooses the advisor from configuration: the OpenAI-compatible one, or deterministic mode.
import type { Config } from '../config.ts';
import { createOpenAIAdvisor, type OpenAIAdvisorOptions } from './openai-advisor.ts';
import { type Advisor, noAdvisor } from './types.ts';

export { warmUp } from './tokens.ts';

/**
 * An endpoint is configured by an API key, or by OPENAI_BASE_URL alone: local OpenAI-compatible
 * servers (vLLM, Ollama, llama.cpp) often need no key.
 */
export function createAdvisor(config: Config, options: OpenAIAdvisorOptions = {}): Advisor {
  if (config.LLM_PROVIDER !== 'openai') return noAdvisor;
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return noAdvisor;
  return createOpenAIAdvisor(config, options);
}
