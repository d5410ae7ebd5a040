// Why a launch or a sign-in stopped. The launch and callback units throw these; launch-routes.ts
// maps `kind` to the error page's title and HTTP status, so no HTTP detail lives in oauth/.
import type { FastifyBaseLogger } from 'fastify';

/** The request itself or our own configuration stops the launch before any redirect. */
export type LaunchRefusal =
  | 'malformed-launch'
  | 'issuer-missing'
  | 'issuer-not-allowed'
  | 'patient-needed'
  | 'client-not-registered';

/** The FHIR server's authorization server cannot be used (unreachable, or unsafe endpoints). */
export type AuthorizationServerRefusal = 'discovery-failed' | 'endpoints-refused' | 'token-unavailable';

/** The callback does not complete the sign-in this browser started. */
export type CallbackRefusal =
  | 'malformed-callback'
  | 'unknown-state'
  | 'unbound-browser'
  | 'wrong-issuer'
  | 'ehr-refused'
  | 'no-code'
  | 'token-refused'
  | 'id-token-refused'
  | 'no-patient';

export type SignInFailure = LaunchRefusal | AuthorizationServerRefusal | CallbackRefusal;

/** The message is shown to the user; `hint` says what to do next when the default does not fit. */
export abstract class SignInError extends Error {
  abstract readonly kind: SignInFailure;
  constructor(
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class LaunchRefusedError extends SignInError {
  override readonly name = 'LaunchRefusedError';
  constructor(
    readonly kind: LaunchRefusal,
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}

export class AuthorizationServerError extends SignInError {
  override readonly name = 'AuthorizationServerError';
  constructor(
    readonly kind: AuthorizationServerRefusal,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, undefined, options);
  }
}

export class CallbackRefusedError extends SignInError {
  override readonly name = 'CallbackRefusedError';
  constructor(
    readonly kind: CallbackRefusal,
    message: string,
    hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, hint, options);
  }
}

/** Refusals worth an operator's attention are logged (never tokens or patient data). */
export type OAuthLog = Pick<FastifyBaseLogger, 'warn'>;
