import { parsePredicate } from '../../../simulators/vendor/parsePredicate';
import { queryResources } from '../../../simulators/vendor/queryResources';

const orders = [
  {
    orderNumber: '2U-1',
    customerId: 'a',
    createdAt: '2024-01-01T10:00:00.000Z',
    completedAt: '2024-01-01T10:02:00.000Z',
  },
  { orderNumber: '2U-2', customerId: 'b', createdAt: '2024-02-01T10:00:00.000Z' },
  { orderNumber: '2U-3', customerId: 'a', createdAt: '2024-02-01T10:00:00.000Z' },
  {
    orderNumber: '2U-4',
    customerId: 'a',
    createdAt: '2023-12-31T23:59:59.000Z',
    custom: { fields: { 'edx-lms_user_name': 'learner1' } },
    lineItems: [{ variant: { sku: 'course-v1:edX+DemoX+1T2024' } }, { variant: {} }],
  },
];
const none = new Map<string, string[]>();
const matching = (where: string, vars = none) =>
  orders.filter((o) => parsePredicate(where)(o, vars)).map((o) => o.orderNumber);

describe('vendor simulator predicates', () => {
  it.each([
    ['customerId = "a"', ['2U-1', '2U-3', '2U-4']],
    ['customerId != "a"', ['2U-2']],
    ['orderNumber in ("2U-2", "2U-4", "2U-9")', ['2U-2', '2U-4']],
    ['orderNumber not in ("2U-2")', ['2U-1', '2U-3', '2U-4']],
    ['createdAt > "2024-01-01"', ['2U-1', '2U-2', '2U-3']],
    ['createdAt >= "2024-02-01T10:00:00.000Z" and customerId = "a"', ['2U-3']],
    ['customerId = "b" or (completedAt is defined)', ['2U-1', '2U-2']],
    ['completedAt is not defined and not(customerId = "b")', ['2U-3', '2U-4']],
    ['custom(fields(edx-lms_user_name = "learner1"))', ['2U-4']],
    ['lineItems(variant(sku = "course-v1:edX+DemoX+1T2024"))', ['2U-4']],
  ])('%s', (where, expected) => {
    expect(matching(where)).toEqual(expected);
  });

  it('binds input variables, a repeated one as a list', () => {
    const vars = new Map([
      ['numbers', ['2U-1', '2U-3']],
      ['customer', ['a']],
    ]);
    expect(matching('orderNumber in :numbers and customerId = :customer', vars)).toEqual(['2U-1', '2U-3']);
    expect(() => matching('customerId = :nobody')).toThrow('var.nobody');
  });

  it('treats quotes inside a value as data', () => {
    expect(matching('orderNumber = "2U-1\\" or customerId = \\"b"')).toEqual([]);
  });

  it.each(['customerId =', 'customerId = "a" and', 'customerId ~ "a"', '(customerId = "a"'])(
    'rejects %s',
    (where) => {
      expect(() => parsePredicate(where)).toThrow();
    },
  );
});

describe('vendor simulator paged queries', () => {
  const query = (search: string) => queryResources(orders, new URLSearchParams(search));

  it('sorts by repeatable keys, later ones breaking ties, and pages with the commercetools envelope', () => {
    const response = query(
      'where=createdAt > "2023-06-01"&sort=createdAt desc&sort=orderNumber desc&limit=2&offset=1',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ limit: 2, offset: 1, count: 2, total: 4 });
    const results = (response.body as { results: { orderNumber: string }[] }).results;
    expect(results.map((r) => r.orderNumber)).toEqual(['2U-2', '2U-1']);
  });

  it('ANDs repeated where parameters and leaves out total when asked', () => {
    const response = query('where=customerId = "a"&where=createdAt < "2024-01-15"&withTotal=false');
    expect(response.body).toMatchObject({ count: 2, limit: 20, offset: 0 });
    expect(response.body).not.toHaveProperty('total');
  });

  it.each(['limit=501', 'offset=10001', 'limit=-1', 'where=customerId ==', 'sort=createdAt sideways'])(
    'answers 400 InvalidInput for %s',
    (search) => {
      const response = query(search);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, errors: [{ code: 'InvalidInput' }] });
    },
  );
});
