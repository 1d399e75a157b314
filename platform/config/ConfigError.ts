/** A start-up configuration problem. main.ts prints `message` and exits non-zero. */
export class ConfigError extends Error {
  readonly isConfigError = true;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const isConfigError = (e: unknown): e is ConfigError =>
  e instanceof Error && 'isConfigError' in e && e.isConfigError === true;
