import { runQuerySuite } from './audit-query-suite.ts';
import { sqliteHarness } from './audit-store-harness.ts';
import { runStoreSuite } from './audit-store-suite.ts';

runStoreSuite('SQLite', sqliteHarness);
runQuerySuite('SQLite', sqliteHarness);
