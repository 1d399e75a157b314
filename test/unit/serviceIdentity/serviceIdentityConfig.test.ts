import { LMS_DEV_CLIENT } from '../../../platform/auth/lmsDevClient';
import { parseCatalogConfig } from '../../../subgraphs/catalog/catalogConfig';
import {
  oauth2BaseUrl,
  parseServiceIdentityConfig,
} from '../../../subgraphs/serviceIdentity/serviceIdentityConfig';
import { configError } from '../../helpers/configError';

// 32 bytes of a generated-looking value: production also refuses few distinct characters.
const SECRET_32 = 'q7Vd2mXkP9sLw4HcT1nRb8ZyE3gJf6Ua';
const production = {
  NODE_ENV: 'production',
  LMS_OAUTH2_URL: 'https://lms.example.org/oauth2',
  LMS_OAUTH2_CLIENT_ID: 'switchyard-backend-service-key',
  LMS_OAUTH2_CLIENT_SECRET: SECRET_32,
};

describe('LMS_OAUTH2_* configuration', () => {
  it('defaults to the LMS simulator and its dev client outside production', () => {
    const config = parseServiceIdentityConfig({});
    expect(config.oauth2).toMatchObject({ name: 'lms-oauth2', baseUrl: 'http://127.0.0.1:4104/oauth2' });
    expect(config).toMatchObject({
      clientId: LMS_DEV_CLIENT.clientId,
      clientSecret: LMS_DEV_CLIENT.clientSecret,
    });
  });

  it('in production, stops start-up without LMS_OAUTH2_CLIENT_SECRET, naming it', () => {
    const { LMS_OAUTH2_CLIENT_SECRET: _, ...withoutSecret } = production;
    const message = configError(() => parseServiceIdentityConfig(withoutSecret));
    expect(message).toContain('LMS_OAUTH2_CLIENT_SECRET');
    expect(message).toContain('must be set in production');
  });

  it('in production, refuses a client secret under 32 bytes', () => {
    const message = configError(() =>
      parseServiceIdentityConfig({ ...production, LMS_OAUTH2_CLIENT_SECRET: 'x'.repeat(31) }),
    );
    expect(message).toContain('LMS_OAUTH2_CLIENT_SECRET');
    expect(message).toContain('32 bytes');
  });

  it('in production, needs the URL and the client id too, and says so for both at once', () => {
    const message = configError(() =>
      parseServiceIdentityConfig({ NODE_ENV: 'production', LMS_OAUTH2_CLIENT_SECRET: SECRET_32 }),
    );
    expect(message).toMatch(/LMS_OAUTH2_URL="": must be set in production/);
    expect(message).toMatch(/LMS_OAUTH2_CLIENT_ID="": must be set in production/);
  });

  it('accepts a complete production configuration', () => {
    expect(parseServiceIdentityConfig(production)).toMatchObject({
      oauth2: { baseUrl: 'https://lms.example.org/oauth2' },
      clientId: production.LMS_OAUTH2_CLIENT_ID,
      clientSecret: SECRET_32,
    });
  });

  it('is part of the catalog subgraph configuration: its production start-up stops on the missing secret', () => {
    const catalog = {
      ...production,
      LMS_OAUTH2_CLIENT_SECRET: undefined,
      DISCOVERY_URL: 'https://discovery.example.org',
      JWT_SECRET: 'jwt-Secret-for-these-unit-tests-0001',
      SUBGRAPH_SHARED_SECRET: 'subgraph-Secret-for-unit-tests-0002',
    };
    expect(configError(() => parseCatalogConfig(catalog))).toContain('LMS_OAUTH2_CLIENT_SECRET');
  });

  it.each([
    ['https://lms.example.org', 'https://lms.example.org/oauth2'],
    ['https://lms.example.org/', 'https://lms.example.org/oauth2'],
    ['https://lms.example.org/oauth2/', 'https://lms.example.org/oauth2'],
    ['https://lms.example.org/oauth2/access_token', 'https://lms.example.org/oauth2'],
  ])('takes %s as edx-rest-api-client does (%s)', (given, base) => {
    expect(oauth2BaseUrl(given)).toBe(base);
    expect(parseServiceIdentityConfig({ LMS_OAUTH2_URL: given }).oauth2.baseUrl).toBe(base);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(configError(() => parseServiceIdentityConfig({ LMS_OAUTH2_URL: 'ftp://lms' }))).toMatch(
      /LMS_OAUTH2_URL="ftp:\/\/lms": must be an http\(s\) URL/,
    );
  });
});
