import { z } from 'zod';

// Wire shapes of the commercetools-shaped vendor API (docs/reference/vendor-commercetools.md), only the
// fields we read. Everything else passes through untouched; a missing or mistyped field we need is a
// malformed body.

/**
 * commercetools TypedMoney. `centAmount` is always in the currency's minor units, and for
 * `centPrecision` its `fractionDigits` say how many those are; a `highPrecision` money's exact amount
 * is `preciseAmount` in 1/10^`fractionDigits` (its `centAmount` is that, rounded). See
 * docs/reference/vendor-commercetools.md, "Money".
 */
export const vendorMoneySchema = z.object({
  type: z.enum(['centPrecision', 'highPrecision']).optional(),
  currencyCode: z.string(),
  centAmount: z.number().int(),
  preciseAmount: z.number().int().optional(),
  fractionDigits: z.number().int().min(0).max(20),
});

const localizedStringSchema = z.record(z.string(), z.string());

/** Line-targeted cart discounts: per unit, for `quantity` units (DiscountedLineItemPriceForQuantity). */
const discountedPricePerQuantitySchema = z.object({
  quantity: z.number().int().nonnegative(),
  discountedPrice: z.object({
    value: vendorMoneySchema,
    includedDiscounts: z.array(z.object({ discountedAmount: vendorMoneySchema })),
  }),
});

export const vendorLineItemSchema = z.object({
  name: localizedStringSchema,
  variant: z.object({ sku: z.string().optional() }),
  // `discounted` is set when a product discount applies: the unit price after it (DiscountedPrice).
  price: z.object({
    value: vendorMoneySchema,
    discounted: z.object({ value: vendorMoneySchema }).optional(),
  }),
  quantity: z.number().int(),
  totalPrice: vendorMoneySchema,
  // Always sent by commercetools; absent is read as "no line discount".
  discountedPricePerQuantity: z.array(discountedPricePerQuantitySchema).optional(),
  state: z
    .array(
      z.object({ state: z.object({ obj: z.object({ name: localizedStringSchema.optional() }).optional() }) }),
    )
    .optional(),
  // The product type (its `key` only with `expand=lineItems[*].productType`): `edx_course_entitlement`
  // marks a course entitlement line (vendorEntitlementLines.ts).
  productType: z.object({ obj: z.object({ key: z.string().optional() }).optional() }).optional(),
  // Line item custom fields; Commerce Coordinator writes `edxLMSEntitlementId` there at fulfilment.
  custom: z.object({ fields: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export const vendorOrderSchema = z.object({
  id: z.string(),
  orderNumber: z.string(),
  customerId: z.string().optional(),
  lineItems: z.array(vendorLineItemSchema),
  totalPrice: vendorMoneySchema,
  discountOnTotalPrice: z.object({ discountedAmount: vendorMoneySchema }).optional(),
  orderState: z.string(),
  paymentState: z.string().optional(),
  paymentInfo: z
    .object({
      payments: z.array(
        z.object({
          obj: z
            .object({
              paymentMethodInfo: z
                .object({ method: z.string().optional(), name: localizedStringSchema.optional() })
                .optional(),
            })
            .optional(),
        }),
      ),
    })
    .optional(),
  completedAt: z.string().optional(),
  createdAt: z.string(),
});

/**
 * What a write needs on top of a read: the `version` every update must name (optimistic concurrency),
 * line item ids to return against, and the returns already recorded (`returnInfo`). Kept apart from
 * `vendorOrderSchema` so reads do not start failing on fields they never use.
 */
export const vendorWritableOrderSchema = vendorOrderSchema.extend({
  version: z.number().int(),
  lineItems: z.array(vendorLineItemSchema.extend({ id: z.string() })),
  returnInfo: z
    .array(
      z.object({
        items: z.array(
          z.object({ id: z.string(), quantity: z.number().int(), lineItemId: z.string().optional() }),
        ),
        returnTrackingId: z.string().optional(),
      }),
    )
    .optional(),
});

export const vendorWritableOrderPageSchema = z.object({ results: z.array(vendorWritableOrderSchema) });

/** The commercetools error envelope; a 409 `ConcurrentModification` names the version to retry from. */
export const vendorErrorSchema = z.object({
  message: z.string().optional(),
  errors: z
    .array(
      z.object({ code: z.string(), message: z.string().optional(), currentVersion: z.number().optional() }),
    )
    .default([]),
});

export const vendorOrderPageSchema = z.object({
  total: z.number().int().nonnegative().optional(),
  results: z.array(vendorOrderSchema),
});

/** A customer with the edX custom fields (`edx-lms_user_id`, `edx-lms_user_name`), when set. */
export const vendorCustomerPageSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      custom: z.object({ fields: z.record(z.string(), z.unknown()).optional() }).optional(),
    }),
  ),
});

export const vendorTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

export type VendorMoney = z.infer<typeof vendorMoneySchema>;
export type VendorCustomer = z.infer<typeof vendorCustomerPageSchema>['results'][number];
export type VendorLineItem = z.infer<typeof vendorLineItemSchema>;
export type VendorOrder = z.infer<typeof vendorOrderSchema>;
export type VendorOrderPage = z.infer<typeof vendorOrderPageSchema>;
export type VendorWritableOrder = z.infer<typeof vendorWritableOrderSchema>;
export type VendorErrorBody = z.infer<typeof vendorErrorSchema>;
