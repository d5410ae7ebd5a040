import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySnoozes, type SnoozedItem } from '../../src/clinical/medication-review/snooze.ts';
import type { ReviewItem } from '../../src/clinical/types.ts';

const item = (over: Partial<ReviewItem> = {}): { review: ReviewItem } => ({
  review: {
    key: 'medication-review:potassium-raising-high-k:spironolactone',
    group: 'medication-review',
    rule: 'potassium-raising-high-k',
    severity: 'high',
    text: 'Spironolactone while potassium 5.7',
    evidenceText: 'Spironolactone 25 MG Oral Tablet (since 2025-01-15); potassium 5.7 mmol/L',
    fingerprint: 'spironolactone@25mg/?mg-day',
    labValue: 5.7,
    ...over,
  },
});
const snooze = (over: Partial<SnoozedItem> = {}): SnoozedItem => ({
  key: 'medication-review:potassium-raising-high-k:spironolactone',
  fingerprint: 'spironolactone@25mg/?mg-day',
  labValue: 5.7,
  reason: 'already-addressed',
  at: '2026-12-01T10:00:00Z',
  ...over,
});

describe('chart-review snoozes', () => {
  it('hides an item overridden with the same evidence, and says why', () => {
    const { shown, hidden } = applySnoozes([item()], [snooze()]);
    assert.equal(shown.length, 0);
    assert.equal(hidden[0]?.reason, 'already-addressed');
  });

  it('shows it again when the dose changes (another fingerprint)', () => {
    const { shown } = applySnoozes([item({ fingerprint: 'spironolactone@50mg/?mg-day' })], [snooze()]);
    assert.equal(shown.length, 1);
  });

  it('shows it again when the lab is worse, but keeps it hidden when the lab is the same or better', () => {
    assert.equal(applySnoozes([item({ labValue: 6.1 })], [snooze()]).shown.length, 1);
    assert.equal(applySnoozes([item({ labValue: 5.6 })], [snooze()]).shown.length, 0);
  });

  it('does not hide another problem', () => {
    assert.equal(applySnoozes([item({ key: 'care-gap:statin-in-diabetes' })], [snooze()]).shown.length, 1);
  });
});
