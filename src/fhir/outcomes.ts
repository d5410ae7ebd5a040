// OperationOutcome factories, used at the HTTP edge only (inside, errors are typed).
import type { OperationOutcome } from '@medplum/fhirtypes';

type IssueCode = NonNullable<OperationOutcome['issue']>[number]['code'];

export function operationOutcome(
  severity: 'fatal' | 'error' | 'warning' | 'information',
  code: IssueCode,
  diagnostics: string,
  expression?: string[],
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, diagnostics, ...(expression?.length ? { expression } : {}) }],
  };
}

export const badRequest = (diagnostics: string, expression?: string[]) =>
  operationOutcome('error', 'invalid', diagnostics, expression);
export const notFound = (diagnostics: string) => operationOutcome('error', 'not-found', diagnostics);
export const preconditionFailed = (diagnostics: string) =>
  operationOutcome('error', 'incomplete', diagnostics);
export const serverError = () => operationOutcome('error', 'exception', 'Internal server error');
export const tooLarge = (diagnostics: string) => operationOutcome('error', 'too-costly', diagnostics);
export const unauthorized = () => operationOutcome('error', 'login', 'Unauthorized');

export function isOperationOutcome(x: unknown): x is OperationOutcome {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { resourceType?: unknown }).resourceType === 'OperationOutcome'
  );
}
