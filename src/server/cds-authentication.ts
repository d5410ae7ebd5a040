// CDS client authentication for every route of the CDS plugin: the client's JWT is verified (issuer,
// audience = this exact URL, expiry, a jti never seen before). Why a client was refused goes to the
// log only; the client learns nothing about it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CdsAuthError, createCdsAuthenticator } from '../auth/cds-jwt.ts';
import { operationOutcome, unauthorized } from '../fhir/outcomes.ts';
import { sendOutcome } from './fhir-reply.ts';
import type { Runtime } from './runtime.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated CDS client (absent when CDS_AUTH=disabled). */
    cdsCaller?: { iss: string; jti: string; tenant?: string };
  }
}

export function registerCdsAuthentication(app: FastifyInstance, runtime: Runtime): void {
  const { config } = runtime;
  app.decorateRequest('cdsCaller', undefined);
  const authenticator = createCdsAuthenticator({
    clients: runtime.cdsClients,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    replayCache: runtime.replayCache,
    clock: runtime.clock,
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || config.CDS_AUTH === 'disabled') return;
    try {
      const caller = await authenticator.verify(request.headers.authorization, request.url);
      request.cdsCaller = {
        iss: caller.iss,
        jti: caller.jti,
        ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}),
      };
      request.log.info({ iss: caller.iss, jti: caller.jti }, 'CDS client authenticated');
    } catch (err) {
      if (!(err instanceof CdsAuthError)) {
        // The replay cache or a key server is down: not the client's fault, and not a pass either.
        request.log.error({ err }, 'CDS authentication could not be checked');
        return sendOutcome(
          reply,
          503,
          operationOutcome('error', 'transient', 'Authentication is temporarily unavailable'),
        );
      }
      // The reason goes to the log only; the client learns nothing about why.
      request.log.warn({ reason: err.reason, ...err.context }, 'CDS client rejected');
      reply.header('WWW-Authenticate', 'Bearer');
      return sendOutcome(reply, 401, unauthorized());
    }
  });
}
