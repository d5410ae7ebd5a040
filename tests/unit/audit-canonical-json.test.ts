import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
import { sha256Hex } from '../../src/audit/chain.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace, so key order never changes a hash', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(sha256Hex(canonicalJson(a)), sha256Hex(canonicalJson(b)));
  });

  it('orders keys by UTF-16 code units as RFC 8785 does', () => {
    // RFC 8785 section 3.2.3 example keys.
    const keys = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew',
      '1': 'One',
      '\u{1f600}': 'Emoji',
      '\u0080': 'Control',
      '\u00f6': 'o',
    };
    // Read the order from the text: JSON.parse would move the integer-like key '1' first.
    const order = [...canonicalJson(keys).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) =>
      JSON.parse(`"${m[1]}"`),
    );
    assert.deepEqual(order, ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\u{1f600}', '\ufb33']);
  });

  it('writes numbers in ECMAScript shortest form and escapes strings like JSON', () => {
    assert.equal(
      canonicalJson([1e21, 1.5e-7, -0, 0.1 + 0.2, 100]),
      '[1e+21,1.5e-7,0,0.30000000000000004,100]',
    );
    assert.equal(canonicalJson('line\n"quoted"\u0001'), '"line\\n\\"quoted\\"\\u0001"');
  });

  it('omits undefined members, writes undefined array items as null, and uses toJSON', () => {
    assert.equal(
      canonicalJson({ a: undefined, b: [undefined], c: new Date(0) }),
      '{"b":[null],"c":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('refuses values JSON cannot represent', () => {
    assert.throws(() => canonicalJson({ x: Number.NaN }), /not valid JSON/);
    assert.throws(() => canonicalJson({ x: Number.POSITIVE_INFINITY }), /not valid JSON/);
    assert.throws(() => canonicalJson({ x: 1n }), /bigint/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => canonicalJson(cyclic), /cyclic/);
  });
});
