import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { isConfigError } from '../platform/config/ConfigError';
import { LMS_SIMULATOR_DEV_PORT } from '../platform/auth/lmsDevClient';
import { LMS_DEV_LEARNER_PASSWORD } from '../simulators/lms/createLmsOAuthSimulator';

// `npm run token -- <username> [--staff] [--ttl <seconds>]`: prints an HS256 JWT for the configured
// secret. `npm run token -- <username> --lms [<url>]`: signs in at the running LMS simulator (`npm
// start`'s, by default) and prints the RSA-signed token its two JWT cookies hold, joined.
const USAGE = 'usage: npm run token -- <username> [--staff] [--ttl <seconds>] | <username> --lms [<lms url>]';

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const lmsIndex = args.indexOf('--lms');
  if (lmsIndex >= 0) {
    const next = args[lmsIndex + 1];
    const url = next !== undefined && !next.startsWith('-') && /^https?:\/\//.test(next) ? next : undefined;
    args.splice(lmsIndex, url ? 2 : 1);
    if (args.length !== 1 || !/^[\w.@+-]{1,150}$/.test(args[0] ?? '')) return fail(USAGE);
    return fromLms(url ?? `http://127.0.0.1:${LMS_SIMULATOR_DEV_PORT}`, args[0] as string);
  }
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

/** Signs in as the browser would and joins the two cookies as edx-drf-extensions does. */
async function fromLms(lmsUrl: string, username: string): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`${lmsUrl}/api/user/v2/account/login_session/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email_or_username: username,
        password: LMS_DEV_LEARNER_PASSWORD,
      }).toString(),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    return fail(`no LMS simulator at ${lmsUrl} (is npm start running?): ${String(error)}`);
  }
  if (response.status !== 200) return fail(`the LMS refused ${username}: ${response.status}`);
  const cookies = new Map(
    response.headers.getSetCookie().map((c) => {
      const pair = c.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)] as const;
    }),
  );
  const headerPayload = cookies.get('edx-jwt-cookie-header-payload');
  const signature = cookies.get('edx-jwt-cookie-signature');
  if (!headerPayload || !signature) return fail('the LMS set no JWT cookies');
  process.stdout.write(`${headerPayload}.${signature}\n`);
  return 0;
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

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
