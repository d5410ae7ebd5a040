// The AuditStore behaviour suite, written once and run against every store (see the
// audit-store-sqlite and audit-store-postgres test files).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
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
      const { seq, id, hash, prevHash, kind, v, writtenAt, ...stored } = detail.record as AuditRecord & {
        kind: string;
      };
      assert.ok(writtenAt && Date.parse(writtenAt) >= Date.parse(input.time));
      assert.equal(kind, 'record');
      assert.equal(v, 1, 'new entries carry the format version in their hashed body');
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
      const forged = original.body.replace(`"${target.hookInstance}"`, '"hi-forged"');
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

    it('keeps a record holding NaN or Infinity, writing null and noting it in errors', async () => {
      const input = makeRecord({ scores: { news2: { total: Number.NaN } }, timings: { total: Infinity } });
      const rec = await h.store.append(input);
      const detail = await h.store.get(rec.id);
      assert.deepEqual(detail?.record.scores, { news2: { total: null } });
      assert.equal(detail?.record.timings.total, null);
      assert.equal(detail?.record.errors.length, 2);
      assert.match(detail?.record.errors.join('\n') ?? '', /non-finite number at \$\.scores\.news2\.total/);
      assert.equal((await h.store.verifyChain()).ok, true);
    });

    it('names the entry whose indexed columns or card links differ from its hashed content', async () => {
      const recInput = makeRecord({ patient: 'Patient/col-1' });
      const rec = await h.store.append(recInput);
      const fb = await h.store.appendFeedback(makeFeedback(recInput.cardIds[0], { outcome: 'overridden' }));
      const other = await h.store.append(makeRecord());
      const tampers: Array<[string, string, unknown]> = [
        [rec.id, 'kind', 'feedback'],
        [rec.id, 'service', 'citecare-other'],
        [rec.id, 'patient', 'Patient/someone-else'],
        [rec.id, 'time_ms', Date.parse('2020-01-01T00:00:00Z')],
        [rec.id, 'silent', 1],
        [rec.id, 'fallback', 1],
        [rec.id, 'model', 'other-model'],
        [fb.id, 'record_id', other.id],
        [fb.id, 'outcome', 'accepted'],
        [fb.id, 'card_id', 'card-elsewhere'],
      ];
      for (const [id, column, value] of tampers) {
        const [saved] = await h.sql(`SELECT ${column} AS v FROM audit_entries WHERE id = ?`, [id]);
        await h.sql(`UPDATE audit_entries SET ${column} = ? WHERE id = ?`, [value, id]);
        const verdict = await h.store.verifyChain();
        await h.sql(`UPDATE audit_entries SET ${column} = ? WHERE id = ?`, [saved.v, id]);
        assert.equal(verdict.ok, false, `tampered ${column} went unnoticed`);
        if (!verdict.ok) {
          assert.equal(verdict.broken.id, id, column);
          assert.match(verdict.broken.reason, new RegExp(column));
        }
      }
      assert.equal((await h.store.verifyChain()).ok, true);

      // Relinking a card to another record would reroute its feedback; dropping it hides it.
      const card = recInput.cardIds[0];
      await h.sql('UPDATE audit_cards SET record_id = ? WHERE card_id = ?', [other.id, card]);
      let verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.broken.id, rec.id);
      await h.sql('DELETE FROM audit_cards WHERE card_id = ?', [card]);
      verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.equal(verdict.broken.id, rec.id);
      await h.sql('INSERT INTO audit_cards (card_id, record_id) VALUES (?, ?)', [card, rec.id]);
      await h.sql('INSERT INTO audit_cards (card_id, record_id) VALUES (?, ?)', [
        'card-ghost',
        'no-such-record',
      ]);
      verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.match(verdict.broken.reason, /card-ghost/);
      await h.sql('DELETE FROM audit_cards WHERE card_id = ?', ['card-ghost']);
      assert.equal((await h.store.verifyChain()).ok, true);
    });

    it('rejects an anchor that no purge wrote (old entries deleted and the anchor moved past them)', async () => {
      const saved = await h.sql('SELECT * FROM audit_entries WHERE seq <= 3 ORDER BY seq');
      const third = saved[2];
      await h.sql('DELETE FROM audit_entries WHERE seq <= 3');
      await h.sql('UPDATE audit_chain SET anchor_seq = ?, anchor_hash = ? WHERE id = 1', [3, third.hash]);
      const verdict = await h.store.verifyChain();
      await h.sql('UPDATE audit_chain SET anchor_seq = 0, anchor_hash = ? WHERE id = 1', ['0'.repeat(64)]);
      const cols = Object.keys(saved[0]);
      for (const row of saved) {
        await h.sql(
          `INSERT INTO audit_entries (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
          cols.map((k) => row[k]),
        );
      }
      assert.equal(verdict.ok, false);
      if (!verdict.ok) {
        assert.equal(verdict.broken.seq, 3);
        assert.match(verdict.broken.reason, /no purge was recorded/);
      }
      assert.equal((await h.store.verifyChain()).ok, true);
    });

    it('still verifies entries written before the format version existed', async () => {
      const rec = await h.store.append(makeRecord());
      const [row] = await h.sql('SELECT body FROM audit_entries WHERE id = ?', [rec.id]);
      assert.equal(JSON.parse(String(row.body)).v, 1);
      // A version this code does not know is refused, so a future format is never half-checked.
      const [last] = await h.sql('SELECT seq, body FROM audit_entries ORDER BY seq DESC LIMIT 1');
      const body = JSON.parse(String(last.body));
      const future = canonicalJson({ ...body, v: 2 });
      const unversioned = canonicalJson({ ...body, v: undefined });
      await h.sql('UPDATE audit_entries SET body = ?, hash = ? WHERE seq = ?', [
        future,
        sha256Hex(future),
        last.seq,
      ]);
      await h.sql('UPDATE audit_chain SET head_hash = ? WHERE id = 1', [sha256Hex(future)]);
      const verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.match(verdict.broken.reason, /version 2/);
      await h.sql('UPDATE audit_entries SET body = ?, hash = ? WHERE seq = ?', [
        unversioned,
        sha256Hex(unversioned),
        last.seq,
      ]);
      await h.sql('UPDATE audit_chain SET head_hash = ? WHERE id = 1', [sha256Hex(unversioned)]);
      assert.equal((await h.store.verifyChain()).ok, true, 'an entry without v still verifies');
    });

    it('appends a feedback batch in one transaction: all events, or none when one is bad', async () => {
      const a = makeRecord();
      const b = makeRecord();
      const recA = await h.store.append(a);
      const recB = await h.store.append(b);
      const events = await h.store.appendFeedbackBatch([
        makeFeedback(a.cardIds[0]),
        makeFeedback(b.cardIds[0], { outcome: 'overridden', overrideReason: { display: 'Not relevant' } }),
      ]);
      assert.deepEqual(
        events.map((e) => [e.seq, e.recordId, e.outcome]),
        [
          [recB.seq + 1, recA.id, 'accepted'],
          [recB.seq + 2, recB.id, 'overridden'],
        ],
      );
      assert.equal(events[1].prevHash, events[0].hash);
      assert.deepEqual(await h.store.appendFeedbackBatch([]), []);
      const before = (await h.store.verifyChain()) as { ok: true; head: { seq: number } };
      await assert.rejects(
        h.store.appendFeedbackBatch([
          makeFeedback(a.cardIds[0]),
          makeFeedback(b.cardIds[0], { outcomeTimestamp: 'not a time' }),
        ]),
        /outcomeTimestamp/,
      );
      const after = await h.store.verifyChain();
      assert.equal(after.ok, true);
      if (after.ok) assert.equal(after.head.seq, before.head.seq, 'nothing of the failed batch was written');
      assert.equal((await h.store.get(recA.id))?.feedback.length, 1);
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

  describe(`${name} audit chain verification during a purge`, () => {
    it('never reports a break while another handle purges the walked prefix', async () => {
      const h = await factory();
      const other = await h.another();
      try {
        // More entries than one read page, so the walk spans several queries.
        const old = Array.from({ length: 1100 }, () => makeRecord({ time: '2020-01-01T00:00:00Z' }));
        for (let i = 0; i < old.length; i += 100)
          await Promise.all(old.slice(i, i + 100).map((r) => h.store.append(r)));
        for (let i = 0; i < 3; i++) await h.store.append(makeRecord({ time: new Date().toISOString() }));
        let purging = true;
        const verdicts: unknown[] = [];
        // Several walkers, so some are always between two pages when the purge commits.
        const walks = Array.from({ length: 4 }, async () => {
          while (purging) verdicts.push(await h.store.verifyChain());
        });
        const purge = other.purge(new Date('2025-01-01T00:00:00Z'));
        const result = await purge.finally(() => {
          purging = false;
        });
        await Promise.all(walks);
        assert.equal(result.purged, 1100);
        assert.ok(verdicts.length > 0);
        const breaks = verdicts.filter((v) => !(v as { ok: boolean }).ok);
        assert.deepEqual(breaks, [], 'a consistent snapshot never looks broken');
        assert.equal((await h.store.verifyChain()).ok, true);
      } finally {
        await other.close();
        await h.dispose();
      }
    });
  });
}
