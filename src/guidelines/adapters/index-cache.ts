// The on-disk cache of a built index (and passage vectors). Only a file whose key matches the
// current corpus and analyzer is used; anything else is ignored, never trusted.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const cacheSchema = z.object({
  key: z.string(),
  corpusVersion: z.string(),
  index: z.record(z.string(), z.unknown()),
  embeddings: z
    .object({ embedder: z.string(), vectors: z.record(z.string(), z.array(z.number())) })
    .optional(),
});

export type IndexCache = z.infer<typeof cacheSchema>;

export function readIndexCache(
  file: string,
  key: string,
  onWarning?: (message: string) => void,
): IndexCache | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = cacheSchema.parse(JSON.parse(text));
    return parsed.key === key ? parsed : undefined;
  } catch (err) {
    onWarning?.(
      `ignoring unreadable guideline index cache ${file}: ${(err as Error).message.split('\n')[0]}`,
    );
    return undefined;
  }
}

/** Writes atomically (temp file + rename) so a concurrent reader never sees half a file. */
export function writeIndexCache(file: string, cache: IndexCache): boolean {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache));
  renameSync(tmp, file);
  return true;
}
