import { GraphQLError } from 'graphql';
import jwt from 'jsonwebtoken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { header } from './plainServer';

// The plain gateway's only check: the token verified with jsonwebtoken (same secret, issuer and
// audience as ours) before anything runs. Shared by both shapes of the plain stack.

const options = parseJwtEnv(process.env);

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** The request's Authorization header once its token verifies; an UNAUTHENTICATED error otherwise. */
export function verifiedAuthorization(headers: Record<string, string | string[] | undefined>): string {
  const authorization = header(headers, 'authorization');
  const token = /^(?:JWT|Bearer)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw unauthenticated('missing token');
  try {
    jwt.verify(token, options.secret ?? '', {
      algorithms: ['HS256'],
      issuer: options.issuer,
      audience: options.audience,
    });
  } catch {
    throw unauthenticated('invalid token');
  }
  return authorization!;
}
