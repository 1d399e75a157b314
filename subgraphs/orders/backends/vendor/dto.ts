import { z } from 'zod';

// Wire shapes of the commercetools-shaped vendor API (upstream-apis.md §4), only the fields we read.
// Everything else passes through untouched; a missing or mistyped field we need is a malformed body.

export const vendorMoneySchema = z.object({
  currencyCode: z.string(),
  centAmount: z.number().int(),
  fractionDigits: z.number().int().min(0).max(20),
});

const localizedStringSchema = z.record(z.string(), z.string());

export const vendorLineItemSchema = z.object({
  name: localizedStringSchema,
  variant: z.object({ sku: z.string().optional() }),
  price: z.object({ value: vendorMoneySchema }),
  quantity: z.number().int(),
  totalPrice: vendorMoneySchema,
  state: z
    .array(
      z.object({ state: z.object({ obj: z.object({ name: localizedStringSchema.optional() }).optional() }) }),
    )
    .optional(),
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

export const vendorCustomerPageSchema = z.object({ results: z.array(z.object({ id: z.string() })) });

export const vendorTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

export type VendorMoney = z.infer<typeof vendorMoneySchema>;
export type VendorLineItem = z.infer<typeof vendorLineItemSchema>;
export type VendorOrder = z.infer<typeof vendorOrderSchema>;
export type VendorOrderPage = z.infer<typeof vendorOrderPageSchema>;
export type VendorWritableOrder = z.infer<typeof vendorWritableOrderSchema>;
export type VendorErrorBody = z.infer<typeof vendorErrorSchema>;
