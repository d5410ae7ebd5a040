// pino options for fastify: JSON lines; tokens, credentials and patient fields never reach a log.
import type { Config } from '../config.ts';

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.fhirAuthorization',
  '*.client_secret',
  '*.password',
  '*.patient',
  '*.patientId',
  '*.name',
  '*.birthDate',
  '*.telecom',
  '*.address',
  '*.identifier',
  '*.chiefComplaint',
];

export interface LoggerSettings {
  level: string;
  redact: { paths: string[]; censor: string };
  serializers: { req: (req: { method: string; url: string; id: string }) => Record<string, unknown> };
  stream?: { write(line: string): void };
}

export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>): LoggerSettings {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Paths only: query strings can carry launch codes, states and patient ids.
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?', 1)[0],
      }),
    },
  };
}
