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
