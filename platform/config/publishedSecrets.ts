import { LMS_DEV_CLIENT } from '../auth/lmsDevClient';
import { DEV_SUBGRAPH_SHARED_SECRET } from '../http/subgraphSecret';

// Public, so `npm start` and the tests run without configuration; never accepted in production
// (secretEnv): anyone who can read this repository could mint a staff token with it.
export const DEV_JWT_SECRET = 'switchyard-dev-secret-change-me';

/**
 * The vendor simulator's development client secret (`VENDOR_DEV_PROJECT` in simulators/vendor, printed
 * in docs/rollout-and-shadow.md). A literal here because platform/ imports nothing above it;
 * test/unit/platform/publishedSecrets.test.ts keeps the two equal.
 */
const VENDOR_DEV_CLIENT_SECRET = 'switchyard-dev-vendor-secret';

/**
 * Every secret value this repository itself publishes — the development defaults, the simulators'
 * clients, the placeholders in deploy/ and the examples in docs/ — which production refuses whatever
 * their length. test/unit/platform/publishedSecrets.test.ts reads the docs, manifests and examples for
 * values given to a secret variable and fails on any this set (or the weakness rules) would let pass.
 */
export const PUBLISHED_SECRETS: ReadonlySet<string> = new Set(
  [
    DEV_JWT_SECRET,
    DEV_SUBGRAPH_SHARED_SECRET,
    LMS_DEV_CLIENT.clientSecret,
    VENDOR_DEV_CLIENT_SECRET,
    // deploy/k8s/secret.template.yaml
    'CHANGE_ME',
  ].map((value) => value.toLowerCase()),
);

export const isPublishedSecret = (value: string): boolean =>
  PUBLISHED_SECRETS.has(value.trim().toLowerCase());

/** Fewer distinct characters than this is not a generated secret (`openssl rand -hex 32` has ~16). */
export const MIN_SECRET_DISTINCT_CHARACTERS = 8;

/**
 * Why a value is too predictable to be a secret, or null: too few distinct characters (`aaaa…`,
 * `abab…`), or one short sequence repeated (`switchyardswitchyard…`). Not a strength meter: it catches
 * values a person typed, which a generated secret never is.
 */
export function secretWeakness(value: string): string | null {
  const characters = [...value];
  const distinct = new Set(characters).size;
  if (distinct < MIN_SECRET_DISTINCT_CHARACTERS) {
    return `has ${distinct} distinct character${distinct === 1 ? '' : 's'} (at least ${MIN_SECRET_DISTINCT_CHARACTERS} in production)`;
  }
  for (let period = 1; period <= characters.length / 2; period++) {
    if (characters.every((c, i) => c === characters[i % period])) {
      return `is one sequence of ${period} characters repeated`;
    }
  }
  return null;
}
