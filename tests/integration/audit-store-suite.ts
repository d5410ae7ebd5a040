// The AuditStore behaviour suite, written once and run against every store (see the
// audit-store-sqlite and audit-store-postgres test files).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/audit/chain.ts';
import type { AuditEntry, AuditRecord } from '../../src/audit/types.ts';
import { type HarnessFactory, makeFeedback, makeRecord, type StoreHarness } from './audit-store-fixtures.ts';

export function runStoreSuite(name: string, factory: HarnessFactory): void {
  describe(`${name} audit store`, () => {
    let h: StoreHarness;
    before(async () => {
      h = await factory();
    });
    after(async () => {
      await h.dispose();
    });

    it('runs its migrations once and keeps data across reopening', async () => {
      const rec = await h.store.append(makeRecord());
      assert.equal(rec.seq, 1);
      assert.match(rec.hash, /^[0-9a-f]{64}$/);
      const versions = await h.sql('SELECT version FROM audit_migrations');
      assert.deepEqual(
        versions.map((v) => Number(v.version)),
        [1],
      );
      const again = await h.another();
      try {
        const detail = await again.get(rec.id);
        assert.equal(detail?.record.hookInstance, rec.hookInstance);
        assert.equal((await h.sql('SELECT version FROM audit_migrations')).length, 1);
      } finally {
        await again.close();
      }
    });

    it('stores every field of the decision record and returns it by id', async () => {
      const input = makeRecord({ triage: { level: 2, floorLevel: 2 } });
      const rec = await h.store.append(input);
      const detail = await h.store.get(rec.id);
      assert.ok(detail);
      const { seq, id, hash, prevHash, kind, ...stored } = detail.record as AuditRecord & { kind: string };
      assert.equal(kind, 'record');
      assert.deepEqual(stored, input);
      assert.equal(seq, rec.seq);
      assert.equal(hash, rec.hash);
      assert.equal(prevHash.length, 64);
      assert.equal(id, rec.id);
      assert.equal(await h.store.get('no-such-record'), undefined);
    });

    it('links feedback to the record holding the card, and keeps feedback for unknown cards', async () => {
      const input = makeRecord();
      const rec = await h.store.append(input);
      const accepted = await h.store.appendFeedback(makeFeedback(input.cardIds[0]));
      assert.equal(accepted.recordId, rec.id);
      assert.equal(accepted.seq, rec.seq + 1);
      const overridden = await h.store.appendFeedback(
        makeFeedback(input.cardIds[0], {
          outcome: 'overridden',
          acceptedSuggestions: undefined,
          overrideReason: {
            code: 'not-relevant',
            system: 'https://citecare.example/reasons',
            display: 'Not relevant',
          },
          userComment: 'already on antibiotics',
        }),
      );
      const smart = await h.store.appendFeedback(
        makeFeedback(input.cardIds[0], {
          channel: 'smart-app',
          outcome: 'overridden',
          decision: { chosenLevel: 3, suggestedLevel: 2 },
          user: 'Practitioner/nurse-7',
        }),
      );
      // The SMART app records the nurse's decision against the record of the assessment shown.
      const byRecord = await h.store.appendFeedback(
        makeFeedback(rec.id, { channel: 'smart-app', outcome: 'accepted', decision: { chosenLevel: 2 } }),
      );
      assert.equal(byRecord.recordId, rec.id);
      const orphan = await h.store.appendFeedback(makeFeedback('card-nobody-knows'));
      assert.equal(orphan.recordId, undefined);
      assert.ok(orphan.receivedAt);

      const detail = await h.store.get(rec.id);
      assert.deepEqual(
        detail?.feedback.map((f) => f.id),
        [accepted.id, overridden.id, smart.id, byRecord.id],
      );
      assert.equal(detail?.feedback[1].overrideReason?.display, 'Not relevant');
      assert.equal(detail?.feedback[1].userComment, 'already on antibiotics');
      assert.deepEqual(detail?.feedback[2].decision, { chosenLevel: 3, suggestedLevel: 2 });
      assert.equal(detail?.feedback[2].channel, 'smart-app');
    });

    it('never stores access tokens, wherever they appear in a record', async () => {
      const secret = 'eyJhbGciOiJSUzM4NCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA';
      const input = makeRecord({
        scores: { access_token: secret, news2: { total: 3 } },
        findings: [
          { id: 'f', context: { fhirAuthorization: { access_token: secret, token_type: 'Bearer' } } },
        ],
        resources: [{ ref: 'Patient/p', Authorization: `Bearer ${secret}` } as never],
        errors: [`FHIR 401 with header Authorization: Bearer ${secret}`],
      });
      const rec = await h.store.append(input);
      const rows = await h.sql('SELECT body FROM audit_entries WHERE id = ?', [rec.id]);
      const body = String(rows[0].body);
      assert.ok(!body.includes(secret), 'the token must not reach the database');
      assert.ok(!/access_token|fhirAuthorization|"Authorization"/.test(body));
      assert.deepEqual(rec.scores, { news2: { total: 3 } });
      assert.match(rec.errors[0], /\[redacted\]/);
      const fb = await h.store.appendFeedback(
        makeFeedback(input.cardIds[0], { decision: { authorization: secret } }),
      );
      assert.deepEqual(fb.decision, {});
      assert.equal((await h.store.verifyChain()).ok, true);
    });

    it('gives every entry a hash over its content and the previous hash, in one chain', async () => {
      const entries: AuditEntry[] = [];
      for await (const e of h.store.entries()) entries.push(e);
      assert.ok(entries.length >= 5);
      assert.ok(entries.some((e) => e.kind === 'feedback'));
      entries.forEach((e, i) => {
        assert.equal(e.seq, i + 1);
        if (i > 0) assert.equal(e.prevHash, entries[i - 1].hash);
      });
      const verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, true);
      if (verdict.ok) {
        assert.equal(verdict.entries, entries.length);
        assert.equal(verdict.head.hash, entries[entries.length - 1].hash);
      }
    });

    it('keeps one unbroken chain under many concurrent appends from several handles', async () => {
      const others = await Promise.all([h.another(), h.another()]);
      try {
        const stores = [h.store, ...others];
        const inputs = Array.from({ length: 50 }, () => makeRecord());
        const written = await Promise.all(
          inputs.map(async (input, i) => {
            const store = stores[i % stores.length];
            const rec = await store.append(input);
            const fb = await store.appendFeedback(makeFeedback(input.cardIds[0]));
            assert.equal(fb.recordId, rec.id);
            return rec;
          }),
        );
        const seqs = new Set(written.map((r) => r.seq));
        assert.equal(seqs.size, 50);
        const verdict = await others[1].verifyChain();
        assert.equal(verdict.ok, true, JSON.stringify(verdict));
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    });

    it('names the first tampered entry, by seq and id', async () => {
      const recs = [];
      for (let i = 0; i < 3; i++) recs.push(await h.store.append(makeRecord()));
      const target = recs[1];
      const [row] = await h.sql('SELECT body, hash FROM audit_entries WHERE seq = ?', [target.seq]);
      const original = { body: String(row.body), hash: String(row.hash) };
      const forged = original.body.replace('"citecare-sepsis"', '"citecare-other"');
      assert.notEqual(forged, original.body);

      await h.sql('UPDATE audit_entries SET body = ? WHERE seq = ?', [forged, target.seq]);
      let verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) {
        assert.equal(verdict.broken.seq, target.seq);
        assert.equal(verdict.broken.id, target.id);
      }

      // Re-hashing the forged entry moves the break to the next entry, whose prevHash no longer fits.
      await h.sql('UPDATE audit_entries SET hash = ? WHERE seq = ?', [sha256Hex(forged), target.seq]);
      verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.broken.id, recs[2].id);

      await h.sql('UPDATE audit_entries SET body = ?, hash = ? WHERE seq = ?', [
        original.body,
        original.hash,
        target.seq,
      ]);
      assert.equal((await h.store.verifyChain()).ok, true);
    });

    it('detects a deleted entry', async () => {
      const a = await h.store.append(makeRecord());
      const b = await h.store.append(makeRecord());
      const c = await h.store.append(makeRecord());
      const [saved] = await h.sql('SELECT * FROM audit_entries WHERE seq = ?', [b.seq]);
      await h.sql('DELETE FROM audit_entries WHERE seq = ?', [b.seq]);
      const verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.deepEqual([verdict.broken.seq, verdict.broken.id], [c.seq, c.id]);
      const cols = Object.keys(saved);
      await h.sql(
        `INSERT INTO audit_entries (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        cols.map((k) => saved[k]),
      );
      assert.equal((await h.store.verifyChain()).ok, true);
      assert.ok(a.seq < c.seq);
    });

    it('throws when it cannot write, reports unhealthy, and recovers', async () => {
      const store = await h.impatient();
      try {
        assert.equal(await store.healthy(), true);
        const release = await h.blockWrites();
        try {
          await assert.rejects(store.append(makeRecord()), /audit write failed/);
          assert.equal(await store.healthy(), false);
        } finally {
          await release();
        }
        assert.equal(await store.healthy(), true);
        await store.append(makeRecord());
        assert.equal((await store.verifyChain()).ok, true);
      } finally {
        await store.close();
      }
    });
  });
}
