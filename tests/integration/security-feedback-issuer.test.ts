// Finding 5: feedback counts only from the client that received the card. The record stores the
// caller's iss and tenant with its cards; feedback from another issuer or tenant is refused, on
// SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase } from '../../src/audit/types.ts';
import { parseCdsClients } from '../../src/auth/cds-clients.ts';
import { hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { getTestCdsClient, mintCdsToken } from '../helpers/cds-tokens.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/pg.ts';

const SERVICE = '/cds-services/citecare-order-sign';
const BASE = 'http://cds.test.citecare.example';
const NOW = Math.floor(Date.parse('2026-11-26T12:00:00Z') / 1000);
const EHR_A = 'https://ehr-a.test.citecare.example/cds-client';
const EHR_B = 'https://ehr-b.test.citecare.example/cds-client';

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`security: feedback is tied to the issuer that received the card (${backend})`, () => {
    let t: TestApp;
    let db: ThrowawayDatabase | undefined;
    let audit: AuditDatabase;
    let cardForA: { uuid: string; overrideReasons: Array<{ code: string; system: string }> };
    before(async () => {
      const { jwks } = await getTestCdsClient();
      const clients = parseCdsClients(
        [
          { iss: EHR_A, jwks, tenants: ['north', 'south'] },
          { iss: EHR_B, jwks },
        ],
        'test',
      );
      if (backend === 'postgres') {
        db = await createThrowawayDatabase('citecare_sec_feedback');
        audit = await openAuditStore(db.url);
      } else audit = await openAuditStore('sqlite::memory:');
      t = await buildTestApp({}, { cdsClients: clients, audit });
      const res = await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: {
          authorization: `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, iss: EHR_A, tenant: 'north', now: NOW })}`,
        },
        payload: hookRequest('order-sign'),
      });
      assert.equal(res.statusCode, 200, res.body);
      cardForA = res.json().cards[0];
      assert.ok(cardForA);
    });
    after(async () => {
      await t.close();
      await audit.close();
      await db?.drop();
    });

    async function feedback(iss: string, tenant?: string) {
      const url = `${SERVICE}/feedback`;
      return t.app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${await mintCdsToken({ aud: `${BASE}${url}`, iss, tenant, now: NOW })}`,
        },
        payload: {
          feedback: [
            {
              card: cardForA.uuid,
              outcome: 'overridden',
              overrideReason: { reason: cardForA.overrideReasons[0] },
              outcomeTimestamp: '2026-11-26T12:01:00Z',
            },
          ],
        },
      });
    }

    it('records the caller’s iss and tenant with the cards', async () => {
      const record = await audit.recordForCard(cardForA.uuid);
      assert.equal(record?.client?.iss, EHR_A);
      assert.equal(record?.client?.tenant, 'north');
    });

    it('refuses feedback from another trusted issuer, and stores none', async () => {
      const res = await feedback(EHR_B);
      assert.equal(res.statusCode, 404, res.body);
      const record = await audit.recordForCard(cardForA.uuid);
      const detail = await audit.get(record!.id);
      assert.equal(detail?.feedback.length, 0);
    });

    it('refuses feedback from the same issuer under another tenant', async () => {
      const res = await feedback(EHR_A, 'south');
      assert.equal(res.statusCode, 404, res.body);
    });

    it('accepts feedback from the issuer and tenant that received the card; the chain verifies', async () => {
      const res = await feedback(EHR_A, 'north');
      assert.equal(res.statusCode, 200, res.body);
      const verified = await audit.verifyChain();
      assert.equal(verified.ok, true, JSON.stringify(verified));
    });
  });
}
