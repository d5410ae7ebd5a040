// The hash chain walked in SQL, for the SQLite and PostgreSQL stores alike: every entry's hash and
// link, the purge anchor, and the card links feedback relies on. Runs inside one read snapshot.
import { type ChainBreak, ChainWalker, ENTRY_COLUMNS, type EntryRow } from './chain.ts';
import type { ChainAnchor, ChainVerification } from './types.ts';

const WALK_PAGE = 500;

interface ChainState {
  head: ChainAnchor;
  anchor: ChainAnchor;
}

/** Runs one read query (`?` placeholders). */
export type ReadQuery = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

interface ChainRow {
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
}

async function readChainState(q: ReadQuery): Promise<ChainState> {
  const [row] = await q<ChainRow>(
    'SELECT head_seq, head_hash, anchor_seq, anchor_hash FROM audit_chain WHERE id = 1',
  );
  return {
    head: { seq: Number(row.head_seq), hash: row.head_hash },
    anchor: { seq: Number(row.anchor_seq), hash: row.anchor_hash },
  };
}

type WalkRow = EntryRow & { cardIds?: unknown };

/** The chain walk proper; every query runs in the caller's snapshot. */
export async function verifyChainIn(q: ReadQuery): Promise<ChainVerification> {
  const state = await readChainState(q);
  const fail = (broken: ChainBreak, entries: number): ChainVerification => ({ ok: false, entries, broken });
  const anchorBreak = await checkAnchor(q, state.anchor);
  if (anchorBreak) return fail(anchorBreak, 0);
  const walker = new ChainWalker(state.anchor);
  let after = -1;
  for (;;) {
    const rows = await q<WalkRow>(
      `SELECT ${ENTRY_COLUMNS.join(', ')} FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      [after, state.head.seq, WALK_PAGE],
    );
    for (const row of rows) {
      const broken = walker.check(row);
      if (broken) return fail(broken, walker.count);
    }
    const linkBreak = await checkCardLinks(q, rows);
    if (linkBreak) return fail(linkBreak, walker.count);
    if (rows.length < WALK_PAGE) break;
    after = rows[rows.length - 1].seq;
  }
  const end = walker.checkEnd(state.head);
  if (end) return fail(end, walker.count);
  const orphan = await q<{ card_id: string; record_id: string }>(
    `SELECT c.card_id, c.record_id FROM audit_cards c
      WHERE NOT EXISTS (SELECT 1 FROM audit_entries e WHERE e.id = c.record_id AND e.kind = 'record') LIMIT 1`,
  );
  if (orphan.length > 0) {
    const o = orphan[0];
    return fail(
      {
        seq: 0,
        id: o.record_id,
        reason: `card ${o.card_id} is linked to ${o.record_id}, which is no record`,
      },
      walker.count,
    );
  }
  return {
    ok: true,
    entries: walker.count,
    head: state.head,
    ...(state.anchor.seq > 0 ? { anchor: state.anchor } : {}),
  };
}

/** A purge writes its anchor and a purge row together; an anchor without that row was forged. */
async function checkAnchor(q: ReadQuery, anchor: ChainAnchor): Promise<ChainBreak | undefined> {
  const [last] = await q<{ up_to_seq: number; anchor_hash: string }>(
    'SELECT up_to_seq, anchor_hash FROM audit_purges ORDER BY up_to_seq DESC LIMIT 1',
  );
  if (!last && anchor.seq === 0) return undefined;
  if (last && Number(last.up_to_seq) === anchor.seq && last.anchor_hash === anchor.hash) return undefined;
  return {
    seq: anchor.seq,
    id: '',
    reason: last
      ? `chain anchor seq ${anchor.seq} does not match the last purge (up to seq ${last.up_to_seq})`
      : `chain starts after seq ${anchor.seq} but no purge was recorded`,
  };
}

/** Card links (feedback linking, recordForCard) must match each record's hashed cardIds. */
async function checkCardLinks(q: ReadQuery, rows: EntryRow[]): Promise<ChainBreak | undefined> {
  const records = rows.filter((r) => r.kind === 'record');
  if (records.length === 0) return undefined;
  const cardsOf = new Map<string, string[]>();
  for (const r of records) {
    const ids = (JSON.parse(r.body) as { cardIds?: unknown }).cardIds;
    cardsOf.set(r.id, Array.isArray(ids) ? ids.filter((c): c is string => typeof c === 'string') : []);
  }
  const allCards = [...new Set([...cardsOf.values()].flat())];
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const links = await q<{ card_id: string; record_id: string }>(
    `SELECT card_id, record_id FROM audit_cards WHERE record_id IN (${marks(records.length)})${
      allCards.length ? ` OR card_id IN (${marks(allCards.length)})` : ''
    }`,
    [...records.map((r) => r.id), ...allCards],
  );
  const byCard = new Map(links.map((l) => [l.card_id, l.record_id]));
  for (const r of records) {
    const at = { seq: r.seq, id: r.id };
    const cards = cardsOf.get(r.id) ?? [];
    for (const l of links) {
      if (l.record_id === r.id && !cards.includes(l.card_id)) {
        return { ...at, reason: `card ${l.card_id} is linked to this record but not in its hashed cardIds` };
      }
    }
    for (const card of cards) {
      const owner = byCard.get(card);
      if (owner === r.id) continue;
      // A card uuid seen twice stays linked to the first record that returned it.
      const earlier = owner
        ? await q<{ seq: number; body: string }>(
            "SELECT seq, body FROM audit_entries WHERE id = ? AND kind = 'record'",
            [owner],
          )
        : [];
      const first = earlier[0];
      const ok =
        first &&
        Number(first.seq) < r.seq &&
        ((JSON.parse(first.body) as { cardIds?: unknown }).cardIds as unknown[] | undefined)?.includes(card);
      if (!ok) return { ...at, reason: `card ${card} is not linked to this record` };
    }
  }
  return undefined;
}
