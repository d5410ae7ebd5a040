// Where the project's shared third-party test data lives: `../shared` beside the repository
// (so in CI's fresh clone too), or CITECARE_SHARED_DIR.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const SHARED_DIR = process.env.CITECARE_SHARED_DIR ?? resolve(REPO_ROOT, '../shared');
export const SHARED_FHIR_DIR = resolve(SHARED_DIR, 'fhir');
export const SYNTHEA_DIR = resolve(SHARED_FHIR_DIR, 'synthea-r4');
