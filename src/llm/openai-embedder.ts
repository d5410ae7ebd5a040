// Embeddings through any OpenAI-compatible endpoint, beside the other model adapter (openai-chat.ts).
// The provider's wire format stays here: callers get plain number arrays, and the response is
// checked before it is trusted.
import OpenAI from 'openai';
import { z } from 'zod';
import type { Embedder } from '../guidelines/embedder.ts';

export interface OpenAIEmbedderOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  batchSize?: number;
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()).min(1) })),
});

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.id = `${options.baseUrl}|${options.model}`;
    this.batchSize = options.batchSize ?? 64;
    this.client = new OpenAI({
      // Local OpenAI-compatible servers often need no key, but the client insists on one.
      apiKey: options.apiKey ?? 'no-key',
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 10_000,
      maxRetries: 0,
    });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const res: unknown = await this.client.embeddings.create(
        { model: this.options.model, input: batch, encoding_format: 'float' },
        { signal },
      );
      const parsed = responseSchema.parse(res);
      if (parsed.data.length !== batch.length) {
        throw new Error(
          `embedding endpoint returned ${parsed.data.length} vectors for ${batch.length} inputs`,
        );
      }
      const sorted = [...parsed.data].sort((a, b) => a.index - b.index);
      out.push(...sorted.map((d) => d.embedding));
    }
    return out;
  }
}
