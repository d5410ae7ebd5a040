import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { chartReviewSuite } from './chart-review-suite.ts';

chartReviewSuite('SQLite', async () => ({
  audit: await openAuditStore('sqlite::memory:'),
  done: async () => {},
}));
