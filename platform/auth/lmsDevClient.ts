/**
 * The LMS OAuth2 client `npm start`, the tests and the standalone simulators use: an Open edX
 * client-credentials application named after Switchyard's own service user, as every IDA provisions
 * one (`<ida>-backend-service-key` → `<ida>_worker`, docs/reference/lms-oauth.md "Service user").
 * Public values: none of them is accepted in production. Here, below both, because the service identity
 * (subgraphs/serviceIdentity) defaults to it and the LMS simulator issues it.
 */
export const LMS_DEV_CLIENT = Object.freeze({
  clientId: 'switchyard-backend-service-key',
  clientSecret: 'switchyard-backend-service-secret',
  username: 'switchyard_worker',
});

/** Where `npm run build && node dist/simulators/main.js` serves the LMS's token endpoint. */
export const LMS_SIMULATOR_DEV_PORT = 4104;
