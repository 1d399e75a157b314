import { signToken } from '../../../platform/auth/signToken';
import { verifyAuthorization } from '../../../platform/auth/verifyAuthorization';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';

// The secret is turned into a key once and kept: a process that verifies with another secret (tests,
// a rotated configuration) must be checked against that secret, never the key kept from the last one.
const a = parseJwtEnv({ JWT_SECRET: 'first-secret-of-the-test-0123456789' });
const b = parseJwtEnv({ JWT_SECRET: 'second-secret-of-the-test-012345678' });

it('verifies each token against the secret it is given, whichever secret came before', async () => {
  const byA = `JWT ${signToken('learner1', a)}`;
  const byB = `JWT ${signToken('learner2', b)}`;
  expect((await verifyAuthorization(byA, a))?.username).toBe('learner1');
  await expect(verifyAuthorization(byA, b)).rejects.toThrow('Authentication failed: invalid token');
  expect((await verifyAuthorization(byB, b))?.username).toBe('learner2');
  await expect(verifyAuthorization(byB, a)).rejects.toThrow('Authentication failed: invalid token');
  expect((await verifyAuthorization(byA, a))?.username).toBe('learner1');
});
