// Group commit for the SQLite audit store: appends issued while the event loop is busy are written
// in one transaction, so one fsync (synchronous=FULL) covers many records and every caller still
// waits until its record is durable. Each entry runs in its own savepoint, so a bad entry fails
// alone; when the database itself cannot be written, the whole batch fails at once (one
// busy_timeout wait).
import type Database from 'better-sqlite3';
import { AuditWriteError } from './chain.ts';

// The database as a whole cannot be written: every entry of the batch would fail the same way.
const UNAVAILABLE =
  /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM|PERM|AUTH)/;

function databaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE.test(code)) return true;
  // better-sqlite3 throws a TypeError once the connection is closed.
  return err instanceof TypeError && /database connection is not open/.test(err.message);
}

export function writeError(err: unknown): AuditWriteError {
  return err instanceof AuditWriteError
    ? err
    : new AuditWriteError(`audit write failed: ${(err as Error).message}`, { cause: err });
}

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private batch: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  /** `onCommit` hears whether each batch's transaction could be written at all. */
  constructor(
    private readonly db: Database.Database,
    private readonly onCommit: (ok: boolean) => void,
  ) {}

  /** Runs `fn` inside the next batch's transaction; settles once that transaction has committed. */
  enqueue<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new AuditWriteError('audit write failed: the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.batch.length === 1) this.scheduled = setImmediate(() => this.flush());
    });
  }

  /** Writes what is queued, then refuses new entries. */
  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    if (this.db.open) this.flush();
  }

  private flush(): void {
    this.scheduled = undefined;
    const batch = this.batch.splice(0);
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch);
      this.onCommit(true);
    } catch (err) {
      this.onCommit(false);
      const error = writeError(err);
      for (const b of batch) b.reject(error);
      return;
    }
    batch.forEach((b, i) => {
      const o = outcomes[i];
      if (o?.ok) b.resolve(o.value);
      else b.reject(writeError(o?.error));
    });
  }

  /** One BEGIN IMMEDIATE … COMMIT for the batch; throws when the database cannot be written at all. */
  private commit(batch: Pending[]): Outcome[] {
    const outcomes: Outcome[] = [];
    // A nested better-sqlite3 transaction is a SAVEPOINT: rolled back alone when its entry throws.
    const entry = this.db.transaction((fn: () => unknown) => fn());
    this.db
      .transaction(() => {
        for (const b of batch) {
          try {
            outcomes.push({ ok: true, value: entry(b.fn) });
          } catch (err) {
            if (databaseUnavailable(err)) throw err;
            outcomes.push({ ok: false, error: err });
          }
        }
      })
      .immediate();
    return outcomes;
  }
}
