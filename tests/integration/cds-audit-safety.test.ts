import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { fullPrefetch, hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp } from '../helpers/app.ts';

const SERVICE = '/cds-services/citecare-patient-view';

describe('no card leaves without its audit record', () => {
  it('answers with no cards and turns /readyz red when the audit store cannot be written', async () => {
    const audit = await openAuditStore('sqlite::memory:');
    const t = await buildTestApp({}, { audit });
    try {
      const ok = await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
        payload: hookRequest('patient-view'),
      });
      assert.ok(ok.json().cards.length > 0);
      assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);

      // The store breaks: every append now fails.
      const original = audit.append.bind(audit);
      audit.append = async () => {
        throw new Error('disk full');
      };
      const res = await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
        payload: hookRequest('patient-view'),
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { cards: [] });
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().checks.audit, 'failing');

      // Recovery: the next successful write turns it green again.
      audit.append = original;
      await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
        payload: hookRequest('patient-view'),
      });
      assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  it('a 412 whose audit record cannot be written turns /readyz red too', async () => {
    const audit = await openAuditStore('sqlite::memory:');
    const t = await buildTestApp({}, { audit });
    try {
      audit.append = async () => {
        throw new Error('disk full');
      };
      const res = await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
        payload: hookRequest('patient-view', { ...fullPrefetch(), patient: null }),
      });
      assert.equal(res.statusCode, 412);
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().checks.audit, 'failing');
    } finally {
      await t.close();
    }
  });

  it('records every returned card under the invocation', async () => {
    const t = await buildTestApp();
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
        payload: hookRequest('patient-view'),
      });
      const uuids = res.json().cards.map((c: { uuid: string }) => c.uuid);
      const { records } = await t.audit.list({});
      assert.equal(records.length, 1);
      const detail = await t.audit.get(records[0].id);
      assert.deepEqual(detail!.record.cardIds, uuids);
      assert.equal(detail!.record.hook, 'patient-view');
      assert.ok(detail!.record.resources.some((r) => r.ref.startsWith('Observation/')));
      assert.ok(detail!.record.retrieval.corpusVersion);
    } finally {
      await t.close();
    }
  });
});

describe('silent mode', () => {
  it('computes and records everything but returns no cards', async () => {
    const t = await buildTestApp({ SILENT_SERVICES: 'citecare-patient-view' });
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: SERVICE,
        headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
        payload: hookRequest('patient-view'),
      });
      assert.deepEqual(res.json(), { cards: [] });
      const { records } = await t.audit.list({});
      const detail = await t.audit.get(records[0].id);
      assert.equal(detail!.record.silent, true);
      assert.ok(
        (detail!.record.cards as unknown[]).length > 0,
        'the cards that would have been shown are recorded',
      );
    } finally {
      await t.close();
    }
  });
});
