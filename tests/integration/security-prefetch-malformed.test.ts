// Finding 8: a malformed prefetch is the client's mistake, never the service's: every broken part is
// a 400 naming it (or is skipped with a note), never a 5xx. A seeded mutation fuzz holds it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fullPrefetch, hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const SERVICE = '/cds-services/citecare-patient-view';

describe('security: malformed prefetch', () => {
  let t: TestApp;
  const errors: string[] = [];
  before(async () => {
    t = await buildTestApp({ LOG_LEVEL: 'error' }, { logStream: { write: (line) => errors.push(line) } });
  });
  after(() => t.close());

  async function call(payload: unknown) {
    return t.app.inject({
      method: 'POST',
      url: SERVICE,
      headers: { authorization: `Bearer ${await t.token(SERVICE)}`, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  }

  it('answers 400 naming the entry when a prefetch Bundle has a null entry', async () => {
    const prefetch = fullPrefetch() as Record<string, { entry?: unknown[] }>;
    prefetch.vitals.entry = [null, ...(prefetch.vitals.entry ?? [])];
    const res = await call(hookRequest('patient-view', prefetch));
    assert.equal(res.statusCode, 400, res.body);
    assert.match(JSON.stringify(res.json()), /prefetch\.vitals\.entry\.0/);
  });

  it('skips an entry without a resource and still answers', async () => {
    const prefetch = fullPrefetch() as Record<string, { entry?: unknown[] }>;
    prefetch.vitals.entry = [{ fullUrl: 'urn:uuid:1' }, ...(prefetch.vitals.entry ?? [])];
    const res = await call(hookRequest('patient-view', prefetch));
    assert.equal(res.statusCode, 200, res.body);
  });

  it('answers 400 for entries, links and resources of the wrong shape', async () => {
    for (const broken of [
      { resourceType: 'Bundle', entry: 'nope' },
      { resourceType: 'Bundle', entry: [{ resource: null }] },
      { resourceType: 'Bundle', entry: [{ resource: { id: 'x' } }] },
      { resourceType: 'Bundle', entry: [7] },
      { resourceType: 'Bundle', link: [null] },
      { resourceType: 'Bundle', link: 'next' },
    ]) {
      const res = await call(hookRequest('patient-view', { ...fullPrefetch(), labs: broken }));
      assert.equal(res.statusCode, 400, `${JSON.stringify(broken)} → ${res.statusCode} ${res.body}`);
      assert.match(JSON.stringify(res.json()), /prefetch\.labs/);
    }
  });

  it('answers 400 naming the draft orders when one has a field of an impossible type', async () => {
    const url = '/cds-services/citecare-order-sign';
    const body = hookRequest('order-sign') as {
      context: { draftOrders: { entry: Array<{ resource: Record<string, unknown> }> } };
    };
    body.context.draftOrders.entry[0].resource.medicationCodeableConcept = { coding: true };
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${await t.token(url)}` },
      payload: body,
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.body, /context\.draftOrders/);
  });

  it('skips a prefetched resource with a field of an impossible type, with a note', async () => {
    const prefetch = fullPrefetch() as Record<
      string,
      { entry?: Array<{ resource: Record<string, unknown> }> }
    >;
    prefetch.vitals.entry![0].resource.code = { coding: 7 };
    const res = await call(hookRequest('patient-view', prefetch));
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /malformed resource/);
  });

  it('never answers 5xx to a few hundred seeded mutations of a valid request', async () => {
    // mulberry32: a small seeded generator, so a failure can be replayed exactly.
    let seed = 0x5ec13;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const replacements: unknown[] = [
      null,
      0,
      -1,
      1e308,
      '',
      'x',
      true,
      [],
      {},
      [null],
      { resourceType: 'Bundle' },
      '\u0000',
      'Patient/../x',
    ];

    type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };
    function slots(value: unknown, out: Slot[] = []): Slot[] {
      if (Array.isArray(value)) {
        value.forEach((v, i) => {
          out.push({ parent: value, key: i });
          slots(v, out);
        });
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          out.push({ parent: value as Record<string, unknown>, key: k });
          slots(v, out);
        }
      }
      return out;
    }

    const failures: string[] = [];
    for (let n = 0; n < 300; n++) {
      const body = structuredClone(hookRequest('patient-view'));
      const mutations = 1 + Math.floor(random() * 3);
      const applied: string[] = [];
      for (let m = 0; m < mutations; m++) {
        const all = slots(body.prefetch);
        const slot = pick(all);
        const what = random();
        if (what < 0.6) {
          const value = pick(replacements);
          (slot.parent as Record<string | number, unknown>)[slot.key] = structuredClone(value);
          applied.push(`${String(slot.key)}=${JSON.stringify(value)}`);
        } else if (what < 0.8) {
          if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
          else delete slot.parent[slot.key as string];
          applied.push(`delete ${String(slot.key)}`);
        } else {
          const target = pick(all);
          (slot.parent as Record<string | number, unknown>)[slot.key] = structuredClone(
            (target.parent as Record<string | number, unknown>)[target.key],
          );
          applied.push(`${String(slot.key)}<-${String(target.key)}`);
        }
      }
      const res = await call(body);
      if (res.statusCode >= 500) {
        const err = (JSON.parse(errors.at(-1) ?? '{}') as { err?: { stack?: string } }).err?.stack ?? '';
        failures.push(
          `#${n} [${applied.join(', ')}] → ${res.statusCode} ${err.split('\n').slice(0, 3).join(' | ')}`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });
});
