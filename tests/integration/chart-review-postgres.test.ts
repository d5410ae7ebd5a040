import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { createThrowawayDatabase } from '../helpers/pg.ts';
import { chartReviewSuite } from './chart-review-suite.ts';

chartReviewSuite('PostgreSQL', async () => {
  const db = await createThrowawayDatabase('citecare_charts');
  return { audit: await openAuditStore(db.url), done: () => db.drop() };
});
