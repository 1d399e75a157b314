import { ORDER_HISTORY_BODY } from './orderHistoryQuery';

/** One query before any load: a misconfigured stack fails here in a second, not after a silent red run. */
export async function smokeTest(
  gatewayUrl: string,
  authorization: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', authorization },
    body: ORDER_HISTORY_BODY,
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: { orderHistory?: { orders: unknown[] } }; errors?: unknown };
  if (!response.ok || body.errors || !body.data?.orderHistory?.orders.length) {
    throw new Error(`smoke query failed (HTTP ${response.status}): ${text.slice(0, 500)}`);
  }
}
