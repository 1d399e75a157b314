import { z } from 'zod';
import { parseEnv } from '../../../platform/config/parseEnv';
import { configError } from '../../helpers/configError';

it('names a bad secret without printing its value, while other values are shown', () => {
  const shape = { LMS_OAUTH2_CLIENT_SECRET: z.string().min(32), GATEWAY_PORT: z.coerce.number().int() };
  const message = configError(() =>
    parseEnv(shape, { LMS_OAUTH2_CLIENT_SECRET: 'hunter2-typo', GATEWAY_PORT: 'x' }),
  );
  expect(message).toContain('LMS_OAUTH2_CLIENT_SECRET="<redacted>"');
  expect(message).not.toContain('hunter2');
  expect(message).toContain('GATEWAY_PORT="x"');
});
