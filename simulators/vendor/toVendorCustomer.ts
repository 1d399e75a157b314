import { stableId } from './stableId';

/**
 * A commercetools Customer carrying the edX custom type `2u-user_information` (CC's ADR-0006):
 * the LMS user id and username as custom fields, the only link between a learner and their orders.
 * `index` keeps ids distinct when a test seeds two customers with one username; `lmsUserId` is the
 * one the LMS simulator gives that user (lmsUserIdOf).
 */
export function toVendorCustomer(
  username: string,
  index: number,
  lmsUserId: number,
): Record<string, unknown> {
  return {
    id: stableId(`customer/${username}/${index}`),
    version: 1,
    email: `${username}@example.org`,
    firstName: 'Ada',
    lastName: username,
    isEmailVerified: true,
    authenticationMode: 'Password',
    custom: {
      type: { typeId: 'type', id: stableId('type/2u-user_information') },
      fields: { 'edx-lms_user_id': String(lmsUserId), 'edx-lms_user_name': username },
    },
    createdAt: '2024-01-01T00:00:00.000Z',
    lastModifiedAt: '2024-01-01T00:00:00.000Z',
  };
}
