import { runQuerySuite } from './audit-query-suite.ts';
import { postgresHarness } from './audit-store-harness.ts';
import { runStoreSuite } from './audit-store-suite.ts';

runStoreSuite('PostgreSQL', postgresHarness);
runQuerySuite('PostgreSQL', postgresHarness);
