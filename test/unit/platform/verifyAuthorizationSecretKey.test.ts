import { signToken } from '../../../platform/auth/signToken';
import { verifyAuthorization } from '../../../platform/auth/verifyAuthorization';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';

// The secret is turned into a key once and kept: a process that verifies with another secret (tests,
// a rotated configuration) must be checked against that secret, never the key kept from the last one.
const a = parseJwtEnv({ JWT_SECRET: 'first-secret-of-the-test-0123456789' });
const b = parseJwtEnv({ JWT_SECRET: 'second-secret-of-the-test-012345678' });

it('verifies each token against the secret it is given, whichever secret came before', () => {
  const byA = `JWT ${signToken('learner1', a)}`;
  const byB = `JWT ${signToken('learner2', b)}`;
  expect(verifyAuthorization(byA, a)?.username).toBe('learner1');
  expect(() => verifyAuthorization(byA, b)).toThrow('Authentication failed: invalid token');
  expect(verifyAuthorization(byB, b)?.username).toBe('learner2');
  expect(() => verifyAuthorization(byB, a)).toThrow('Authentication failed: invalid token');
  expect(verifyAuthorization(byA, a)?.username).toBe('learner1');
});
