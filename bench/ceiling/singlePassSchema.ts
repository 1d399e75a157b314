import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  buildASTSchema,
  getNamedType,
  isObjectType,
  isScalarType,
  parse,
  printSchema,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import { schemaDirectory } from '../../schema/schemaDirectory';

/**
 * MEASUREMENT ONLY (bench/executionCeiling.ts, issue 25): never part of the product.
 *
 * One subgraph's executable schema (as buildSubgraphSchema makes it: field resolvers on the fields, the
 * entity resolver in `extensions.apollo.subgraph.resolveReference`) and the key its per-request context
 * has in the single-pass context.
 */
export interface SubgraphPart {
  name: string;
  schema: GraphQLSchema;
}

/** The single pass's context: each subgraph's own per-request context, by subgraph name. */
export type SinglePassContext = Readonly<Record<string, unknown>>;

type ReferenceResolver = (reference: object, context: unknown, info: GraphQLResolveInfo) => unknown;

/** The committed supergraph's API schema: what the gateway validates client documents against. */
export function supergraphApiSchema(path = join(schemaDirectory(), 'supergraph.graphql')): GraphQLSchema {
  return Supergraph.build(readFileSync(path, 'utf8')).apiSchema().toGraphQLJSSchema();
}

/**
 * The API schema made executable in one pass over the subgraphs' own resolvers: each field resolved by
 * the first subgraph that defines it, with that subgraph's context; a field whose value is an entity
 * another subgraph completes (`OrderLine.courseRun` → catalog's `CourseRun`) resolves the reference
 * through that subgraph's `__resolveReference` right away, in the same tick for every list item, so
 * its DataLoader batches them into one upstream call as the `_entities` fetch does. No query plan, no
 * `_entities` round, no subgraph pipeline, no result shaping. Query fields only matter here: the
 * measured page is a query (mutations resolve the same way but are not exercised).
 */
export function singlePassSchema(apiSchema: GraphQLSchema, parts: readonly SubgraphPart[]): GraphQLSchema {
  // A fresh copy: the gateway's own API schema object is left as it is.
  const schema = buildASTSchema(parse(printSchema(apiSchema)));
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isScalarType(type)) copyScalar(type, parts);
    if (isObjectType(type))
      for (const fieldName of Object.keys(type.getFields())) wire(type, fieldName, parts);
  }
  return schema;
}

function copyScalar(type: GraphQLScalarType, parts: readonly SubgraphPart[]): void {
  for (const part of parts) {
    const own = part.schema.getType(type.name);
    if (own && isScalarType(own) && own.astNode) {
      // A custom scalar's coercion (DateTime's check) as the owning subgraph runs it.
      type.serialize = own.serialize;
      type.parseValue = own.parseValue;
      type.parseLiteral = own.parseLiteral;
      return;
    }
  }
}

function wire(type: GraphQLObjectType, fieldName: string, parts: readonly SubgraphPart[]): void {
  const field = type.getFields()[fieldName]!;
  const owner = parts.find((part) => {
    const own = part.schema.getType(type.name);
    return own && isObjectType(own) && own.getFields()[fieldName] !== undefined;
  });
  if (!owner) throw new Error(`no subgraph defines ${type.name}.${fieldName}`);
  const ownType = owner.schema.getType(type.name) as GraphQLObjectType;
  const resolve = ownType.getFields()[fieldName]!.resolve;
  const target = getNamedType(field.type);
  const completer = isObjectType(target) ? completingPart(target, owner, parts) : undefined;
  if (!resolve && !completer) return; // the default resolver: reads the property, needs no context
  const own: GraphQLFieldResolver<unknown, SinglePassContext> = resolve
    ? (source, args, context, info) => resolve(source, args, context[owner.name], info)
    : (source, _args, _context, info) => (source as Record<string, unknown>)[info.fieldName];
  field.resolve = completer
    ? (source, args, context: SinglePassContext, info) => {
        const value = own(source, args, context, info);
        const complete = (v: unknown) =>
          completeEntity(v, completer.resolveReference, context[completer.part.name], info);
        // Synchronously when the owner answered synchronously: every list item's reference then
        // reaches the completing subgraph's loader in the same tick (one batch).
        return isPromise(value) ? value.then(complete) : complete(value);
      }
    : own;
}

/**
 * The subgraph that completes an entity `owner` only references: one with an entity resolver for the
 * type that defines fields of it the owner does not.
 */
function completingPart(
  target: GraphQLObjectType,
  owner: SubgraphPart,
  parts: readonly SubgraphPart[],
): { part: SubgraphPart; resolveReference: ReferenceResolver } | undefined {
  const ownerType = owner.schema.getType(target.name);
  const ownerFields = ownerType && isObjectType(ownerType) ? ownerType.getFields() : {};
  for (const part of parts) {
    if (part === owner) continue;
    const type = part.schema.getType(target.name);
    if (!type || !isObjectType(type)) continue;
    const extensions = type.extensions as {
      apollo?: { subgraph?: { resolveReference?: ReferenceResolver } };
    };
    const resolveReference = extensions.apollo?.subgraph?.resolveReference;
    const addsFields = Object.keys(type.getFields()).some((name) => ownerFields[name] === undefined);
    if (resolveReference && addsFields) return { part, resolveReference };
  }
  return undefined;
}

/**
 * A reference (or a list of them) completed by the entity resolver, merged over the reference as the
 * gateway merges an `_entities` answer into the owner's object; null stays null.
 */
function completeEntity(
  value: unknown,
  resolveReference: ReferenceResolver,
  context: unknown,
  info: GraphQLResolveInfo,
): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => completeEntity(v, resolveReference, context, info));
  const reference = value as object;
  const resolved = resolveReference(reference, context, info);
  const merge = (entity: unknown) =>
    entity === null || entity === undefined ? entity : { ...reference, ...entity };
  return isPromise(resolved) ? resolved.then(merge) : merge(resolved);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
