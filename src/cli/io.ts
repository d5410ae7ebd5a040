import type { Config } from '../config.ts';

/** What a CLI verb gets: streams and the parsed configuration (never process.env). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  config: Config;
}

/** Exit code 2: the user's input was wrong (missing file, bad flag). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
