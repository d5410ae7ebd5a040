import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Health } from '../../src/server/runtime.ts';

describe('readiness after an audit failure', () => {
  it('stays red for 30 s, then recovers when a probe write succeeds', async () => {
    let now = 1_000_000;
    const health = new Health(() => now);
    let probes = 0;
    const probe = async () => {
      probes++;
      return true;
    };
    assert.equal(await health.auditWritable(probe), true);
    health.auditWrite(false);
    assert.equal(await health.auditWritable(probe), false);
    assert.equal(probes, 1, 'no probe while the failure is fresh');
    now += 31_000;
    assert.equal(await health.auditWritable(probe), true, 'an idle instance recovers without hook traffic');
  });

  it('stays red while the probe keeps failing', async () => {
    let now = 0;
    const health = new Health(() => now);
    health.auditWrite(false);
    now += 60_000;
    assert.equal(await health.auditWritable(async () => false), false);
    now += 1_000;
    assert.equal(await health.auditWritable(async () => true), false, 'the failed probe restarted the wait');
  });
});
