// Span attribute and event names beyond the stable semantic conventions (those come from
// @opentelemetry/semantic-conventions). Ours are under `switchyard.`; incubating conventions are copied
// here rather than imported from the package's unstable entry point, as the package advises.

/** The request's `x-request-id`, the one every log line of the request carries as `requestId`. */
export const ATTR_REQUEST_ID = 'switchyard.request_id';
/** The upstream's name, as in errors (`extensions.upstream`), logs and metrics. */
export const ATTR_UPSTREAM = 'switchyard.upstream';
/** The attempt's outcome, as in the `upstream_calls_total` metric's `outcome` label. */
export const ATTR_UPSTREAM_OUTCOME = 'switchyard.upstream.outcome';
/** On a call's last failed attempt (or refusal): whether a stored answer was served instead. */
export const ATTR_UPSTREAM_STALE_SERVED = 'switchyard.upstream.stale_served';
/** Recorded on the request span when the kit refused a call before it left (breaker open, bulkhead full). */
export const EVENT_UPSTREAM_REJECTED = 'upstream call rejected';

export const ATTR_URL_TEMPLATE = 'url.template';
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
