import type * as Jose from 'jose' with { 'resolution-mode': 'import' };

/**
 * jose, the JOSE library every key and signature check here goes through. jose 6 is published as ES
 * modules only and this code base compiles to CommonJS (module node16), which TypeScript lets import
 * such a package for its types alone; at run time Node's require(esm) (Node 20.19+, package.json
 * `engines`) loads it, and Jest turns it into CommonJS (jest.config.js). Import jose from here only.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const jose = require('jose') as typeof Jose;

export type { JSONWebKeySet, JWK, JWTPayload, JWTVerifyGetKey, CryptoKey } from 'jose' with {
  'resolution-mode': 'import',
};
