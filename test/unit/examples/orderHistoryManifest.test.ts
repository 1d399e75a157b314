import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { orderHistoryManifest } from '../../../examples/order-history-mfe/orderHistoryManifest';

// The registered manifest is what the MFE's build would write: a query edited in the MFE and not
// re-registered would leave schema checks guarding an operation the MFE no longer sends.
it('persisted-queries/order-history-mfe.json is the example MFE manifest as its build writes it', () => {
  const committed = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'persisted-queries', 'order-history-mfe.json'), 'utf8'),
  ) as unknown;
  expect(committed).toEqual(orderHistoryManifest());
});
