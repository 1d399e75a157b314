import type { ArgumentBound, ArgumentBounds, StringBound } from '../platform/graphql/bounds/ArgumentBound';

// The one declaration of how large each argument of each operation in orders.graphql and
// catalog.graphql may be, enforced by enforceArgumentBounds at the gateway and again at each subgraph.
// Every bound fits what the argument names, from the real system that owns it where there is one;
// docs/reference/argument-bounds.md cites each source. test/unit/supergraph/argumentBounds.test.ts
// checks that every argument of every operation has its bound here, and that nothing here is stale.

/**
 * An order number. ecommerce (django-oscar) stores `Order.number` as `CharField(max_length=128)`
 * (ecommerce/extensions/order/migrations/0001_initial.py); commercetools documents no maximum for
 * `Order.orderNumber`, and Commerce Coordinator's are `2U-YYYY#######` (13 characters).
 */
export const ORDER_NUMBER: StringBound = {
  kind: 'string',
  minLength: 1,
  maxLength: 128,
  source: 'ecommerce Order.number max_length=128 (oscar); commercetools orderNumber: no documented maximum',
};

// opaque-keys' ALLOWED_ID_CHARS (`[\w\-~.:]`, `re.UNICODE`) and the deprecated form's (with `%`).
const ID = String.raw`[\p{L}\p{N}_~.:-]+`;
const DEPRECATED_ID = String.raw`[\p{L}\p{N}_~.:%-]+`;

/**
 * A course run key as opaque-keys parses one (`CourseLocator`, opaque_keys/edx/locator.py):
 * `course-v1:Org+Course+Run`, or the deprecated `Org/Course/Run`. At most 255 characters: the column
 * every system keeps it in (ecommerce `Course.id`, course-discovery `CourseRun.key`, edx-platform's
 * `CourseKeyField`s, all `max_length=255`).
 */
export const COURSE_RUN_KEY: StringBound = {
  kind: 'string',
  maxLength: 255,
  pattern: new RegExp(
    `^(?:course-v1:${ID}\\+${ID}\\+${ID}|${DEPRECATED_ID}/${DEPRECATED_ID}/${DEPRECATED_ID})$`,
    'u',
  ),
  patternName: 'a course run key (course-v1:Org+Course+Run)',
  source: 'opaque-keys CourseLocator; max_length=255 in ecommerce Course.id and discovery CourseRun.key',
};

/**
 * A course uuid (discovery `Course.uuid`, edx-platform `CourseEntitlement.course_uuid`, a UUIDField;
 * ecommerce stores it as `str(UUID)`): 36 characters, hyphenated hex.
 */
export const COURSE_UUID: StringBound = {
  kind: 'string',
  maxLength: 36,
  pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  patternName: 'a course uuid (8-4-4-4-12 hex digits)',
  source: 'edx-platform CourseEntitlement.course_uuid UUIDField; discovery Course.uuid',
};

/**
 * A username. edx-platform limits new ones to USERNAME_MAX_LENGTH (30 by default, a setting); no
 * account can have more than the column holds, Django's `User.username` `max_length=150`.
 */
export const USERNAME: StringBound = {
  kind: 'string',
  minLength: 1,
  maxLength: 150,
  source:
    'Django User.username max_length=150 (edx-platform USERNAME_MAX_LENGTH, 30 by default, is at most that)',
};

/** Ours: refund request ids are `refund-` and 32 hex digits (queue/RefundJob.ts, refundJobId). */
const REFUND_REQUEST_ID: StringBound = {
  kind: 'string',
  maxLength: 39,
  source: 'Switchyard refundJobId: "refund-" + 32 hex digits',
};

const REASON: StringBound = {
  kind: 'string',
  maxLength: 500,
  source: 'Switchyard: a learner sentence; no upstream receives it (only the audit trail, truncated)',
};

/** Ours: the legacy API's scope check reads at most 500 other orders; 50 covers any real learner. */
const ALSO_REFUND: ArgumentBound = {
  kind: 'list',
  maxItems: 50,
  items: ORDER_NUMBER,
  source: 'Switchyard: staff confirm the other orders a legacy refund touches',
};

export const ARGUMENT_BOUNDS: ArgumentBounds = {
  'Query.orderHistory': {
    username: USERNAME,
    // Page N of size S needs the newest N × S orders of each system; the merged history reads at
    // most MAX_MERGE_DEPTH (10 000) of them (subgraphs/orders/domain/mergeOrderPages.ts).
    page: { kind: 'int', min: 1, max: 10_000, source: 'Switchyard MAX_MERGE_DEPTH (10 000 orders)' },
    pageSize: { kind: 'int', min: 1, max: 100, source: 'Switchyard: the largest page a subgraph serves' },
  },
  'Query.order': { number: ORDER_NUMBER },
  'Query.refundRequest': { id: REFUND_REQUEST_ID },
  'Query.courseRun': { key: COURSE_RUN_KEY },
  'Mutation.requestRefund': {
    input: {
      kind: 'input',
      fields: {
        orderNumber: ORDER_NUMBER,
        courseRunKey: COURSE_RUN_KEY,
        courseUuid: COURSE_UUID,
        reason: REASON,
        delivery: { kind: 'enum', source: 'RefundDelivery' },
        alsoRefund: ALSO_REFUND,
        overrideEligibility: { kind: 'boolean', source: 'a Boolean: its type bounds it' },
      },
    },
  },
  'Mutation.processRefund': {
    input: {
      kind: 'input',
      fields: {
        id: REFUND_REQUEST_ID,
        action: { kind: 'enum', source: 'RefundAction' },
      },
    },
  },
  'Mutation.fulfillOrder': { number: ORDER_NUMBER },
};
