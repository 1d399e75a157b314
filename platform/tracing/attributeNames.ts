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
// Messaging conventions (OpenTelemetry semconv, messaging spans) for the deferred-refund worker's
// CONSUMER span; the incubating entry point of @opentelemetry/semantic-conventions is not imported.
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
/** Which delivery attempt of a deferred refund a span is (1 for the first). */
export const ATTR_DELIVERY_ATTEMPT = 'switchyard.delivery.attempt';
