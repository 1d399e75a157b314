import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { isConfigError } from '../platform/config/ConfigError';

// `npm run token -- <username> [--staff] [--ttl <seconds>]`: prints a JWT for the configured secret.
const USAGE = 'usage: npm run token -- <username> [--staff] [--ttl <seconds>]';

function main(argv: string[]): number {
  const args = [...argv];
  const staff = takeFlag(args, '--staff');
  const ttlIndex = args.indexOf('--ttl');
  let ttl = 3600;
  if (ttlIndex >= 0) {
    ttl = Number(args[ttlIndex + 1]);
    args.splice(ttlIndex, 2);
    if (!Number.isInteger(ttl) || ttl <= 0)
      return fail(`--ttl must be a positive number of seconds\n${USAGE}`);
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) return fail(`unknown option ${unknown}\n${USAGE}`);
  if (args.length !== 1 || !/^[\w.@+-]{1,150}$/.test(args[0] ?? '')) return fail(USAGE);
  try {
    process.stdout.write(
      `${signToken(args[0] as string, parseJwtEnv(process.env), { staff, expiresInSeconds: ttl })}\n`,
    );
    return 0;
  } catch (error) {
    return fail(isConfigError(error) ? error.message : String(error));
  }
}

function takeFlag(args: string[], flag: string): boolean {
  const i = args.indexOf(flag);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
