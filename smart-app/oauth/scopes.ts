// SMART scopes: v2 by default, rewritten to v1 when the server only speaks permission-v1.
import type { SmartServerInfo } from './discovery.ts';

const RESOURCE_SCOPE = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$/;
const V2_SUFFIX = /^c?r?u?d?s?$/;

/** True when discovery says the server understands only SMART v1 permission scopes. */
export function serverIsV1Only(info: SmartServerInfo): boolean {
  const caps = info.capabilities;
  if (caps.includes('permission-v2')) return false;
  if (caps.includes('permission-v1')) return true;
  const resourceScopes = (info.scopesSupported ?? []).filter((s) => RESOURCE_SCOPE.test(s));
  if (resourceScopes.length === 0) return false;
  return resourceScopes.every((s) => /\.(read|write|\*)$/.test(s));
}

/** Rewrites one v2 resource scope to v1 (`.rs` → `.read`, any of c/u/d → `.write`, both → `.*`). */
export function toV1Scope(scope: string): string {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m) return scope;
  const [, context, type, suffix] = m;
  if (!V2_SUFFIX.test(suffix)) return scope;
  const reads = /[rs]/.test(suffix);
  const writes = /[cud]/.test(suffix);
  // v1 has no query-suffix granularity: the whole resource type is requested.
  const v1 = reads && writes ? '*' : writes ? 'write' : 'read';
  return `${context}/${type}.${v1}`;
}

/** The scopes to request for this launch. */
export function scopesFor(configured: string, info: SmartServerInfo, launch: 'ehr' | 'standalone'): string {
  let scopes = configured.split(/\s+/).filter(Boolean);
  if (launch === 'standalone') {
    // No EHR context to bind to: ask the authorization server to let the user pick the patient.
    scopes = scopes.filter((s) => s !== 'launch');
    if (!scopes.includes('launch/patient')) scopes.push('launch/patient');
  } else if (!scopes.includes('launch')) {
    scopes.unshift('launch');
  }
  if (serverIsV1Only(info)) scopes = scopes.map(toV1Scope);
  return [...new Set(scopes)].join(' ');
}
