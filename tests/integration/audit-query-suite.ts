// Filters, paging, metrics and retention purge: written once, run against every store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord, AuditRecordFilter, AuditRecordInput } from '../../src/audit/types.ts';
import { type HarnessFactory, makeFeedback, makeRecord, type StoreHarness } from './audit-store-fixtures.ts';

function card(uuid: string, finding: string) {
  return {
    uuid,
    summary: `Card for ${finding}`,
    indicator: 'warning',
    source: { label: 'CiteCare' },
    extension: { 'org.citecare.finding': finding },
  };
}

function recordWith(
  tag: string,
  cards: Array<[string, string]>,
  overrides: Partial<AuditRecordInput>,
): AuditRecordInput {
  return makeRecord({
    hookInstance: tag,
    cards: cards.map(([uuid, finding]) => card(uuid, finding)),
    cardIds: cards.map(([uuid]) => uuid),
    ...overrides,
  });
}

export function runQuerySuite(name: string, factory: HarnessFactory): void {
  describe(`${name} audit queries`, () => {
    let h: StoreHarness;
    const rec: Record<string, AuditRecord> = {};
    const SEPSIS = 'citecare-sepsis';
    const TRIAGE = 'citecare-triage';

    before(async () => {
      h = await factory();
      const base = makeRecord();
      const llm = base.llm!;
      rec.r1 = await h.store.append(
        recordWith('r1', [['c1', 'sepsis-screen']], {
          service: SEPSIS,
          patient: 'Patient/p1',
          time: '2026-11-01T10:00:00Z',
          timings: { total: 100 },
        }),
      );
      rec.r2 = await h.store.append(
        recordWith('r2', [['c2', 'sepsis-screen']], {
          service: SEPSIS,
          patient: 'Patient/p2',
          time: '2026-11-02T10:00:00Z',
          fallback: true,
          llm: { ...llm, status: 'timeout' },
          timings: { total: 2600 },
        }),
      );
      rec.r3 = await h.store.append(
        recordWith(
          'r3',
          [
            ['c3a', 'aki-risk'],
            ['c3b', 'news2-high'],
          ],
          {
            service: TRIAGE,
            patient: 'Patient/p1',
            time: '2026-11-03T10:00:00Z',
            llm: { ...llm, model: 'llama-3' },
            timings: { total: 300 },
          },
        ),
      );
      rec.r4 = await h.store.append(
        recordWith('r4', [['c4', 'news2-high']], {
          service: TRIAGE,
          patient: 'Patient/p3',
          time: '2026-11-04T10:00:00Z',
          silent: true,
          timings: { total: 200 },
        }),
      );
      rec.r5 = await h.store.append(
        recordWith('r5', [['c5', 'sepsis-screen']], {
          service: SEPSIS,
          patient: 'Patient/p4',
          time: '2026-11-05T10:00:00Z',
          llm: { status: 'disabled' },
          timings: { total: 50 },
        }),
      );
      await h.store.appendFeedback(makeFeedback('c1'));
      await h.store.appendFeedback(
        makeFeedback('c2', {
          outcome: 'overridden',
          overrideReason: { code: 'nr', display: 'Not relevant' },
        }),
      );
      await h.store.appendFeedback(
        makeFeedback('c3a', {
          service: TRIAGE,
          outcome: 'overridden',
          overrideReason: { code: 'already-treated' },
        }),
      );
    });
    after(async () => {
      await h.dispose();
    });

    const tags = async (filter: AuditRecordFilter) =>
      (await h.store.list(filter)).records.map((r) => Object.keys(rec).find((k) => rec[k].id === r.id));

    it('lists newest first and filters by service, patient, model, fallback, silent and time', async () => {
      assert.deepEqual(await tags({}), ['r5', 'r4', 'r3', 'r2', 'r1']);
      assert.deepEqual(await tags({ service: SEPSIS }), ['r5', 'r2', 'r1']);
      assert.deepEqual(await tags({ patient: 'p1' }), ['r3', 'r1']);
      assert.deepEqual(await tags({ patient: 'Patient/p1' }), ['r3', 'r1']);
      assert.deepEqual(await tags({ model: 'llama-3' }), ['r3']);
      assert.deepEqual(await tags({ fallback: true }), ['r2']);
      assert.deepEqual(await tags({ fallback: false }), ['r5', 'r4', 'r3', 'r1']);
      assert.deepEqual(await tags({ silent: true }), ['r4']);
      assert.deepEqual(await tags({ from: '2026-11-02T00:00:00Z', to: '2026-11-04T10:00:00Z' }), [
        'r3',
        'r2',
      ]);
    });

    it('filters by feedback outcome', async () => {
      assert.deepEqual(await tags({ outcome: 'accepted' }), ['r1']);
      assert.deepEqual(await tags({ outcome: 'overridden' }), ['r3', 'r2']);
      assert.deepEqual(await tags({ outcome: 'none' }), ['r5', 'r4']);
    });

    it('pages with an opaque cursor and summarizes each record', async () => {
      const p1 = await h.store.list({ limit: 2 });
      assert.equal(p1.records.length, 2);
      assert.ok(p1.nextCursor);
      const p2 = await h.store.list({ limit: 2, cursor: p1.nextCursor });
      const p3 = await h.store.list({ limit: 2, cursor: p2.nextCursor });
      assert.equal(p3.nextCursor, undefined);
      const all = [...p1.records, ...p2.records, ...p3.records].map((r) => r.id);
      assert.deepEqual(
        all,
        ['r5', 'r4', 'r3', 'r2', 'r1'].map((k) => rec[k].id),
      );
      const r3 = p2.records[0];
      assert.equal(r3.cardCount, 2);
      assert.equal(r3.overridden, 1);
      assert.equal(r3.accepted, 0);
      assert.equal(r3.model, 'llama-3');
      assert.equal(r3.totalMs, 300);
      assert.equal(p1.records[1].silent, true);
      await assert.rejects(h.store.list({ limit: 0 }), /limit/);
      await assert.rejects(h.store.list({ cursor: 'garbage' }), /cursor/);
      await assert.rejects(h.store.list({ from: 'yesterday' }), /from/);
    });

    it('computes acceptance and override rates, reasons, fallback rate and latency percentiles', async () => {
      const m = await h.store.metrics();
      assert.equal(m.records, 5);
      assert.equal(m.silentRecords, 1);
      assert.equal(m.silentCards, 1);
      assert.equal(m.cardsShown, 5, 'silent cards were never shown');
      const sepsis = m.byService.find((r) => r.key === SEPSIS);
      assert.deepEqual(
        { cards: sepsis?.cards, accepted: sepsis?.accepted, overridden: sepsis?.overridden },
        { cards: 3, accepted: 1, overridden: 1 },
      );
      assert.equal(sepsis?.acceptanceRate, 1 / 3);
      const triage = m.byService.find((r) => r.key === TRIAGE);
      assert.equal(triage?.overrideRate, 0.5);
      const byType = Object.fromEntries(
        m.byCardType.map((r) => [r.key, [r.cards, r.accepted, r.overridden]]),
      );
      assert.deepEqual(byType, {
        'sepsis-screen': [3, 1, 1],
        'aki-risk': [1, 0, 1],
        'news2-high': [1, 0, 0],
      });
      assert.deepEqual(m.overrideReasons, [
        { reason: 'already-treated', count: 1 },
        { reason: 'Not relevant', count: 1 },
      ]);
      assert.deepEqual(m.modelFallback, { records: 4, fallback: 1, rate: 0.25 });
      assert.deepEqual(m.latencyMs, { count: 5, p50: 200, p95: 2600, p99: 2600 });
      assert.deepEqual(
        m.acceptanceOverTime.map((d) => [d.day, d.cards, d.accepted, d.overridden]),
        [
          ['2026-11-01', 1, 1, 0],
          ['2026-11-02', 1, 0, 1],
          ['2026-11-03', 2, 0, 1],
          ['2026-11-05', 1, 0, 0],
        ],
      );
      const onlyTriage = await h.store.metrics({ service: TRIAGE });
      assert.equal(onlyTriage.cardsShown, 2);
      assert.deepEqual(onlyTriage.overrideReasons, [{ reason: 'already-treated', count: 1 }]);
    });
  });

  describe(`${name} audit latest outcomes and SMART decisions`, () => {
    let h: StoreHarness;
    before(async () => {
      h = await factory();
    });
    after(async () => {
      await h.dispose();
    });

    it('filters by the latest feedback on each card, as the metrics count it', async () => {
      const changed = await h.store.append(recordWith('changed', [['k1', 'sepsis-screen']], {}));
      await h.store.appendFeedback(makeFeedback('k1'));
      await h.store.appendFeedback(makeFeedback('k1', { outcome: 'overridden' }));
      const ids = async (outcome: 'accepted' | 'overridden') =>
        (await h.store.list({ outcome })).records.map((r) => r.id);
      assert.deepEqual(await ids('accepted'), [], 'the acceptance was replaced by an override');
      assert.deepEqual(await ids('overridden'), [changed.id]);
      const [summary] = (await h.store.list({ outcome: 'overridden' })).records;
      assert.deepEqual([summary.accepted, summary.overridden], [0, 1]);
    });

    it('counts a SMART decision (card id = record id) as one decision of that record', async () => {
      const assessment = await h.store.append(
        recordWith('smart', [['s-card', 'triage-level']], { channel: 'smart-app', service: 'smart-triage' }),
      );
      await h.store.appendFeedback(
        makeFeedback(assessment.id, {
          channel: 'smart-app',
          service: 'smart-triage',
          outcome: 'overridden',
          overrideReason: { display: 'nurse judgement' },
        }),
      );
      const m = await h.store.metrics({ service: 'smart-triage' });
      assert.deepEqual(m.byService, [
        { key: 'smart-triage', cards: 1, accepted: 0, overridden: 1, acceptanceRate: 0, overrideRate: 1 },
      ]);
      assert.deepEqual(
        m.byCardType.map((r) => [r.key, r.overridden]),
        [['smart-triage-decision', 1]],
      );
      assert.deepEqual(m.overrideReasons, [{ reason: 'nurse judgement', count: 1 }]);
    });
  });

  describe(`${name} audit retention purge`, () => {
    let h: StoreHarness;
    before(async () => {
      h = await factory();
    });
    after(async () => {
      await h.dispose();
    });

    it('purges the oldest entries and the remaining chain still verifies from its anchor', async () => {
      const day = 86_400_000;
      const ago = (d: number) => new Date(Date.now() - d * day).toISOString();
      const old1 = await h.store.append(makeRecord({ time: ago(100) }));
      const old2Input = makeRecord({ time: ago(90) });
      const old2 = await h.store.append(old2Input);
      const recent = await h.store.append(makeRecord({ time: ago(1) }));
      const lateFeedback = await h.store.appendFeedback(makeFeedback(old2Input.cardIds[0]));

      const result = await h.store.purge(new Date(Date.now() - 30 * day));
      assert.equal(result.purged, 2);
      assert.deepEqual(result.anchor, { seq: old2.seq, hash: old2.hash });
      assert.equal(await h.store.get(old1.id), undefined);
      assert.ok(await h.store.get(recent.id));
      const verdict = await h.store.verifyChain();
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      if (verdict.ok) {
        assert.deepEqual(verdict.anchor, { seq: old2.seq, hash: old2.hash });
        assert.equal(verdict.entries, 2);
      }
      const kept = [];
      for await (const e of h.store.entries()) kept.push(e.id);
      assert.deepEqual(kept, [recent.id, lateFeedback.id]);

      assert.equal((await h.store.purge(new Date(Date.now() - 30 * day))).purged, 0);
      await h.store.append(makeRecord());
      assert.equal((await h.store.verifyChain()).ok, true);

      // A forged anchor matches no recorded purge.
      await h.sql('UPDATE audit_chain SET anchor_hash = ? WHERE id = 1', ['f'.repeat(64)]);
      const forged = await h.store.verifyChain();
      assert.equal(forged.ok, false);
      if (!forged.ok) {
        assert.equal(forged.broken.seq, old2.seq);
        assert.match(forged.broken.reason, /last purge/);
      }
      await h.sql('UPDATE audit_chain SET anchor_hash = ? WHERE id = 1', [old2.hash]);
      await assert.doesNotReject(h.store.purge(new Date(0)));
    });
  });
}
