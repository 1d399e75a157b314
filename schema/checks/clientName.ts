/**
 * A client's name, as an MFE sends it in `apollographql-client-name` and as its registered manifest
 * is named (`persisted-queries/<client>.json`): letters, digits, `.`, `_`, `-`, up to 64.
 */
export const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The label value every client not named in the gateway's list is folded into. */
export const OTHER_CLIENT = 'other';
