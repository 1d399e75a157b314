import { createHash } from 'node:crypto';
import { InMemoryCache } from '@apollo/client';
import { print, type OperationDefinitionNode } from 'graphql';
import { ORDER_HISTORY } from './orderHistoryQuery';

/**
 * The MFE's persisted-query manifest, as `generate-persisted-query-manifest` writes it from the build:
 * each document as Apollo Client sends it (the cache's transform adds `__typename`), printed, with
 * its sha256 as id. Its committed copy, `persisted-queries/order-history-mfe.json`, registers the MFE
 * for schema checks; a test keeps the two equal.
 */
export function orderHistoryManifest() {
  const document = new InMemoryCache().transformDocument(ORDER_HISTORY);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const body = print(document);
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [
      {
        id: createHash('sha256').update(body).digest('hex'),
        name: operation.name!.value,
        type: operation.operation,
        body,
      },
    ],
  };
}
