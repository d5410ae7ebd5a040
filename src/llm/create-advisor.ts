// Chooses the advisor from configuration: the OpenAI-compatible one, or deterministic mode.
import type { Config } from '../config.ts';
import { createOpenAIAdvisor, type OpenAIAdvisorOptions } from './openai-advisor.ts';
import { type Advisor, noAdvisor } from './types.ts';

export function createAdvisor(config: Config, options: OpenAIAdvisorOptions = {}): Advisor {
  if (config.LLM_PROVIDER === 'openai' && config.OPENAI_API_KEY) return createOpenAIAdvisor(config, options);
  return noAdvisor;
}
