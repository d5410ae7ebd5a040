// Token counting for prompt budgets and the token bench. o200k_base is the encoding of the
// current OpenAI small models; other servers' tokenisers differ a little, which the margin covers.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

let encoder: Tiktoken | undefined;

/**
 * Builds the tokeniser now (about a second of CPU the first time) so no hook pays for it: call
 * once at start. Idempotent.
 */
export function warmUp(): void {
  encoder ??= new Tiktoken(o200kBase);
}

export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}

/** Tokens for chat messages, with the few framing tokens per message the chat format adds. */
export function countMessageTokens(messages: ReadonlyArray<{ content: string }>): number {
  return messages.reduce((sum, m) => sum + countTokens(m.content) + 4, 3);
}
