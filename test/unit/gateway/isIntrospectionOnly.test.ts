import { getOperationAST, parse } from 'graphql';
import { isIntrospectionOnly } from '../../../gateway/isIntrospectionOnly';

// "Introspection only" lets a document through without a token (requireAuthentication) and past the
// safelist where introspection is on (enforceSafelist): it must mean that every root selection is a
// meta field, so nothing in the document can reach a subgraph. Issue 20 §6.
const only = (document: string) => isIntrospectionOnly(getOperationAST(parse(document))!);

describe('isIntrospectionOnly', () => {
  it.each([
    '{ __typename }',
    '{ __schema { queryType { name } } }',
    '{ __type(name: "Order") { name fields { name } } }',
    '{ __schema { types { name } } __typename __type(name: "Query") { name } }',
    // An alias does not make a field real: the field's name decides.
    '{ orderHistory: __typename }',
    // The explorer's query: fragments below a meta field are inside it.
    'query IntrospectionQuery { __schema { types { ...T } } } fragment T on __Type { name }',
  ])('is true when every root field is a meta field: %s', (document) => {
    expect(only(document)).toBe(true);
  });

  it.each([
    '{ orderHistory { count } }',
    '{ __typename orderHistory { count } }',
    '{ orderHistory { count } __schema { queryType { name } } }',
    '{ __typename: orderHistory { count } }',
    '{ __typename orderHistory @skip(if: true) { count } }',
    // A fragment at the root is not a meta field, whatever it holds: refused, not looked into.
    'query { __typename ...F } fragment F on Query { orderHistory { count } }',
    'query { ...F } fragment F on Query { orderHistory { count } }',
    '{ __typename ... on Query { orderHistory { count } } }',
    '{ ... on Query { orderHistory { count } } }',
    '{ ... @include(if: true) { orderHistory { count } } }',
  ])('is false when any root selection may be a real field: %s', (document) => {
    expect(only(document)).toBe(false);
  });
});
