// Embeddings through any OpenAI-compatible endpoint. The provider's wire format stays here:
// callers get plain number arrays, and the response is checked before it is trusted.
import OpenAI from 'openai';
import { z } from 'zod';

export interface Embedder {
  /** Identifies the vector space; cached vectors are reused only for the same id. */
  readonly id: string;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

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

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
