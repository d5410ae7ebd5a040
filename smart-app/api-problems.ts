// The JSON error answers of /smart/api/*: one shape ({ error, message, …extra }) for the page.
import type { FastifyReply } from 'fastify';
import { FhirGatewayError } from '../src/fhir/gateway.ts';
import type { PendingDecision } from './session.ts';
import { SessionExpiredError } from './session-fhir.ts';

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Relaunch the app from the EHR.';

export function problem(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  extra: object = {},
) {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .send({ error, message, ...extra });
}

/** What the page may see of an unsent decision (never the user id or the assessment internals). */
export function pendingView(p: PendingDecision | undefined) {
  if (!p) return null;
  return {
    action: p.action,
    level: p.level,
    reason: p.reason ?? null,
    decidedAt: p.decidedAt,
    observation: p.observationRef ?? null,
    lastError: p.lastError ?? null,
  };
}

/** Maps failures at the FHIR edge to plain messages; anything else is rethrown (→ 500). */
export function fhirProblem(reply: FastifyReply, err: unknown, extra: object = {}) {
  if (err instanceof SessionExpiredError)
    return problem(reply, 401, 'session-expired', SESSION_EXPIRED_MESSAGE, extra);
  if (err instanceof FhirGatewayError) {
    const what =
      err.kind === 'timeout'
        ? 'did not answer in time'
        : err.kind === 'http'
          ? `answered HTTP ${err.status}`
          : 'could not be reached';
    return problem(reply, 502, 'fhir-unavailable', `The FHIR server ${what}.`, extra);
  }
  if (err instanceof Error && err.name === 'PrefetchUnavailableError') {
    return problem(
      reply,
      502,
      'fhir-unavailable',
      'The patient record could not be read from the FHIR server.',
      extra,
    );
  }
  throw err;
}
