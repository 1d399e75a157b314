import { buildSchema } from 'graphql';
import { operationBreaks } from '../../../schema/checks/operationBreaks';
import { schemaChanges } from '../../../schema/checks/schemaChanges';

const BEFORE = buildSchema(`
  type Query { orders(first: Int, status: Status, filter: Filter): [Order!]! }
  type Order { number: ID! total: Money! note: String status: Status! }
  type Money { amount: String! }
  enum Status { OPEN DONE }
  input Filter { since: String }
`);

async function breaksOf(afterSdl: string, body: string) {
  const after = buildSchema(afterSdl);
  const changes = await schemaChanges(BEFORE, after);
  return operationBreaks({
    before: BEFORE,
    after,
    changes,
    operations: [{ client: 'mfe', name: 'Op', id: 'x', body }],
  });
}
const schema = (
  query: string,
  order: string,
  rest = 'enum Status { OPEN DONE } input Filter { since: String }',
) => `type Query { ${query} } type Order { ${order} } type Money { amount: String! } ${rest}`;
const QUERY = 'orders(first: Int, status: Status, filter: Filter): [Order!]!';
const ORDER = 'number: ID! total: Money! note: String status: Status!';

describe('operationBreaks: the rule of every gate', () => {
  it('breaks an operation whose field became nullable, though it still validates', async () => {
    const broken = await breaksOf(
      schema(QUERY, ORDER.replace('total: Money!', 'total: Money')),
      '{ orders { total { amount } } }',
    );
    expect(broken).toEqual([
      expect.objectContaining({ client: 'mfe', operation: 'Op', coordinates: ['Order.total'] }),
    ]);
  });

  it('leaves alone an operation that does not use what changed', async () => {
    expect(await breaksOf(schema(QUERY, ORDER.replace('note: String', '')), '{ orders { number } }')).toEqual(
      [],
    );
    expect(
      await breaksOf(
        schema('orders(status: Status, filter: Filter): [Order!]!', ORDER),
        '{ orders { number } }',
      ),
    ).toEqual([]);
  });

  it('breaks an operation that passes a removed argument', async () => {
    const broken = await breaksOf(
      schema('orders(status: Status, filter: Filter): [Order!]!', ORDER),
      '{ orders(first: 2) { number } }',
    );
    expect(broken[0]).toMatchObject({ coordinates: ['Query.orders(first:)'] });
  });

  it('breaks an operation whose variable type gained a required field', async () => {
    const after = schema(
      QUERY,
      ORDER,
      'enum Status { OPEN DONE } input Filter { since: String until: String! }',
    );
    const body = 'query Op($f: Filter) { orders(filter: $f) { number } }';
    expect((await breaksOf(after, body))[0]).toMatchObject({ coordinates: ['Filter.until'] });
  });

  it('breaks an operation sending an enum value that is gone, not one only reading the enum', async () => {
    const after = schema(QUERY, ORDER, 'enum Status { OPEN } input Filter { since: String }');
    expect(await breaksOf(after, '{ orders { status } }')).toEqual([]);
    expect((await breaksOf(after, '{ orders(status: DONE) { number } }'))[0]).toMatchObject({
      coordinates: ['Status.DONE'],
    });
  });

  it('counts fields reached through fragments of the operation only', async () => {
    const after = schema(QUERY, ORDER.replace('note: String', ''));
    const body = 'query Op { orders { ...N } } fragment N on Order { note }';
    expect((await breaksOf(after, body))[0]).toMatchObject({ coordinates: ['Order.note'] });
  });
});
