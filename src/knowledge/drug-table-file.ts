// Reads the versioned drug table from disk once at start and checks it (the clinical core does no I/O).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type DrugTable, DrugTableError, parseDrugTable } from '../clinical/medication-review/drug-table.ts';

export const DEFAULT_DRUG_TABLE = fileURLToPath(new URL('../../knowledge/drug-table.json', import.meta.url));

export async function loadDrugTable(path: string = DEFAULT_DRUG_TABLE): Promise<DrugTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DrugTableError(`drug table ${path} could not be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DrugTableError(`drug table ${path} is not JSON: ${(err as Error).message}`);
  }
  return parseDrugTable(json);
}
