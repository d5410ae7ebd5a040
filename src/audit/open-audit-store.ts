// Chooses the store from AUDIT_DATABASE_URL: `sqlite:PATH` (`sqlite::memory:` for tests) or
// `postgres://…`. Migrations run before the store is returned.
import { PostgresAuditStore, type PostgresOptions } from './postgres-audit-store.ts';
import { SqliteAuditStore, type SqliteOptions } from './sqlite-audit-store.ts';
import type { AuditDatabase } from './types.ts';

export type AuditStoreOptions = SqliteOptions & PostgresOptions;

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  // sqlite:///abs/path and sqlite://./rel are accepted as well as sqlite:PATH.
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

export async function openAuditStore(url: string, options: AuditStoreOptions = {}): Promise<AuditDatabase> {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    if (!path) throw new Error('AUDIT_DATABASE_URL sqlite: needs a path or :memory:');
    return SqliteAuditStore.open(path, options);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresAuditStore.open(url, options);
  throw new Error('AUDIT_DATABASE_URL must be sqlite:PATH or postgres://…');
}
