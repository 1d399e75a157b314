import { isConfigError } from '../../platform/config/ConfigError';

/** Runs a config parser expected to fail and returns its message (anything else fails the test). */
export function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
