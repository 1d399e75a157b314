import { z } from 'zod';

// Wire shapes of the legacy ecommerce API (docs/reference/legacy-ecommerce.md), only the fields we read.
// Everything else passes through untouched; a missing or mistyped field we need is a malformed body.

/** A line's product: its attributes carry the course run key (`course_key`). */
export const legacyProductSchema = z
  .object({
    attribute_values: z
      .array(z.object({ code: z.string().optional(), name: z.string().optional(), value: z.unknown() }))
      .optional(),
  })
  .nullable()
  .optional();

export const legacyLineSchema = z.object({
  title: z.string(),
  description: z.string(),
  quantity: z.number().int(),
  status: z.string().nullable().optional(),
  // After the order's discounts: Oscar spreads basket discounts over the lines it applies them to.
  line_price_excl_tax: z.string(),
  // Nullable in Oscar's order Line model (docs/reference/legacy-ecommerce.md): an answer, not a fault.
  unit_price_excl_tax: z.string().nullable(),
  product: legacyProductSchema,
});

export const legacyOrderSchema = z.object({
  number: z.string(),
  date_placed: z.string(),
  status: z.string(),
  currency: z.string(),
  total_excl_tax: z.string(),
  // Only the FIRST OrderDiscount (`get_discount`); the order's whole reduction is basket_discounts.
  discount: z.string().nullable().optional(),
  // Each amount a raw Decimal, so a JSON number (DRF's encoder); a decimal string is accepted too.
  // Optional: ecommerce before 2022-08 (#3748, receipt page info) did not send the field.
  basket_discounts: z.array(z.object({ amount: z.union([z.number(), z.string()]) })).optional(),
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
