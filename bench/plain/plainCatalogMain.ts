import { plainCatalogContext, plainCatalogSchema, type PlainCatalogContext } from './plainCatalog';
import { servePlain } from './plainServer';

// The plain catalog subgraph as its own server (the `plain` stack): plainCatalog.ts behind the stock
// standalone server.
void servePlain<PlainCatalogContext>(
  'catalog',
  process.env.CATALOG_SUBGRAPH_PORT,
  { schema: plainCatalogSchema() },
  async () => plainCatalogContext(),
);
