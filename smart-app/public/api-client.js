// Talks to the CiteCare server (backend-for-frontend). The browser never sees an access token:
// the session cookie goes with each call, and state-changing calls carry the CSRF token.
import { escapePath, fetchJson, HttpError } from './web-common/http.js';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken = '';
let patientId = '';
// Each launch has its own session: the handle in this page's URL names it (and its cookie).
const sessionHandle = new URLSearchParams(location.search).get('session') ?? '';

async function call(method, path, body) {
  const headers = { 'X-CiteCare-Session': sessionHandle };
  // The server refuses to act when this page was drawn for another patient than the session's.
  if (patientId) headers['X-CiteCare-Patient'] = patientId;
  try {
    return await fetchJson(`/smart/api${path}`, { method, headers, body, csrfToken });
  } catch (err) {
    if (!(err instanceof HttpError)) {
      throw new ApiError(
        0,
        'network',
        'The CiteCare server could not be reached. Check the connection and try again.',
      );
    }
    const json = err.body;
    const message = json?.message ?? `The request failed (HTTP ${err.status}).`;
    throw new ApiError(err.status, json?.error ?? 'http', message, json);
  }
}

export async function loadContext() {
  const ctx = await call('GET', '/context');
  csrfToken = ctx.csrfToken;
  patientId = ctx.patientId;
  return ctx;
}

export const assess = (chiefComplaint) => call('POST', '/assess', { chiefComplaint });
export const decide = (decision) => call('POST', '/decision', decision);
export const retryDecision = () => call('POST', '/decision/retry', {});
export const signOut = () => call('POST', '/logout', {});
export const readResource = (ref) => call('GET', `/resource/${escapePath(ref)}`);
export const resourceHref = (ref) =>
  `/smart/api/resource/${escapePath(ref)}?session=${encodeURIComponent(sessionHandle)}`;
