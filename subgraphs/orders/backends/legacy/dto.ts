import { z } from 'zod';

// Wire shapes of the legacy ecommerce API (upstream-apis.md §1.2), only the fields we read.
// Everything else passes through untouched; a missing or mistyped field we need is a malformed body.

export const legacyLineSchema = z.object({
  title: z.string(),
  description: z.string(),
  quantity: z.number().int(),
  status: z.string().nullable().optional(),
  line_price_excl_tax: z.string(),
  unit_price_excl_tax: z.string(),
  product: z
    .object({
      attribute_values: z
        .array(z.object({ code: z.string().optional(), name: z.string().optional(), value: z.unknown() }))
        .optional(),
    })
    .nullable()
    .optional(),
});

export const legacyOrderSchema = z.object({
  number: z.string(),
  date_placed: z.string(),
  status: z.string(),
  currency: z.string(),
  total_excl_tax: z.string(),
  discount: z.string().nullable().optional(),
  payment_method: z.string().nullable().optional(),
  lines: z.array(legacyLineSchema),
});

export const legacyOrderPageSchema = z.object({
  count: z.number().int().nonnegative(),
  results: z.array(legacyOrderSchema),
});

export type LegacyOrder = z.infer<typeof legacyOrderSchema>;
export type LegacyLine = z.infer<typeof legacyLineSchema>;
export type LegacyOrderPage = z.infer<typeof legacyOrderPageSchema>;
