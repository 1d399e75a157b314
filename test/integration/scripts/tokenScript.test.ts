import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTokenVerifier } from '../../../platform/auth/createTokenVerifier';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../simulators/lms/createLmsOAuthSimulator';

// `npm run token -- <user> --lms <url>` (dist/scripts/token.js, built by `npm test`): the token a
// learner's sign-in at the LMS simulator puts in the two cookies, joined.
const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', '..', 'dist', 'scripts', 'token.js');
const jwt = parseJwtEnv({});
let lms: LmsOAuthSimulator;
beforeAll(async () => {
  lms = await createLmsOAuthSimulator({ jwt });
});
afterAll(() => lms.close());

it('prints the RSA token of an LMS sign-in, which verifies against /auth/jwks.json', async () => {
  const { stdout } = await run(process.execPath, [SCRIPT, 'learner4', '--lms', lms.url]);
  const verify = createTokenVerifier({
    ...jwt,
    secret: undefined,
    jwks: { url: `${lms.url}/auth/jwks.json` },
  });
  expect(await verify(stdout.trim())).toMatchObject({ username: 'learner4', userId: 4 });
});

it('fails with a clear message for an account the LMS does not know', async () => {
  await expect(run(process.execPath, [SCRIPT, 'mallory', '--lms', lms.url])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('the LMS refused mallory'),
  });
});
