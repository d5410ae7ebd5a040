// A labelled query set for retrieval evaluation, read from its JSON file and checked.
import { readFile } from 'node:fs/promises';
import { type LabelledQuery, querySetSchema } from '../evaluate.ts';

export async function readQuerySet(file: string): Promise<LabelledQuery[]> {
  return querySetSchema.parse(JSON.parse(await readFile(file, 'utf8'))).queries;
}
