import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { CostDirectives, ListSize } from './readCostDirectives';

/** What the cost rules need to know of one output field, resolved once per schema. */
export interface CostedField {
  /** `@cost` on the field, else on its type, else 1 for an object, interface or union and 0 for a leaf. */
  weight: number;
  /** Its own `@cost` or its type's, if any: what a null or a leaf answer still costs (actual cost). */
  explicitWeight: number | null;
  isList: boolean;
  namedType: GraphQLNamedType;
  listSize: ListSize | null;
  arguments: ReadonlyMap<string, CostedInput>;
  /** The defaults the schema declares for the field's arguments. */
  argumentDefaults: ReadonlyMap<string, unknown>;
}

/** An argument or input field: its `@cost` (or its type's), and its named type. */
export interface CostedInput {
  weight: number | null;
  namedType: GraphQLNamedType;
}

/**
 * A schema and its demand-control directives, with each field's weights resolved on first use
 * (docs/reference/demand-control.md). One per schema; shared by every request on it.
 */
export class CostModel {
  // By type, then name: no key string is built per lookup, which runs for every selected field.
  private readonly fields = new Map<GraphQLNamedType, Map<string, CostedField | null>>();
  private readonly inputFields = new Map<string, CostedInput | null>();

  constructor(
    readonly schema: GraphQLSchema,
    private readonly directives: CostDirectives,
    /** The size assumed for a list field that no `@listSize` sizes. */
    readonly defaultListSize: number,
  ) {}

  /** The output field `fieldName` of `parent`, or null when it has none (a union, a typo). */
  field(parent: GraphQLNamedType, fieldName: string): CostedField | null {
    let ofType = this.fields.get(parent);
    if (!ofType) this.fields.set(parent, (ofType = new Map()));
    let costed = ofType.get(fieldName);
    if (costed === undefined) {
      const definition =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[fieldName] : undefined;
      costed = definition
        ? this.costField(`${parent.name}.${fieldName}`, definition.type, definition.args)
        : null;
      ofType.set(fieldName, costed);
    }
    return costed;
  }

  /** The input field `fieldName` of the input object `parent`, or null. */
  inputField(parent: GraphQLNamedType, fieldName: string): CostedInput | null {
    const key = `${parent.name}.${fieldName}`;
    let costed = this.inputFields.get(key);
    if (costed === undefined) {
      const definition = isInputObjectType(parent) ? parent.getFields()[fieldName] : undefined;
      costed = definition ? this.costInput(this.directives.fields.get(key), definition) : null;
      this.inputFields.set(key, costed);
    }
    return costed;
  }

  private costField(key: string, type: GraphQLOutputType, args: readonly GraphQLArgument[]): CostedField {
    const namedType = getNamedType(type);
    const explicitWeight =
      this.directives.fields.get(key) ?? this.directives.types.get(namedType.name) ?? null;
    return {
      weight: explicitWeight ?? (isCompositeType(namedType) ? 1 : 0),
      explicitWeight,
      isList: isListType(getNullableType(type)),
      namedType,
      listSize: this.directives.listSizes.get(key) ?? null,
      arguments: new Map(
        args.map((arg) => [
          arg.name,
          this.costInput(this.directives.arguments.get(`${key}(${arg.name})`), arg),
        ]),
      ),
      argumentDefaults: new Map(
        args.filter((arg) => arg.defaultValue !== undefined).map((arg) => [arg.name, arg.defaultValue]),
      ),
    };
  }

  private costInput(own: number | undefined, definition: GraphQLArgument | GraphQLInputField): CostedInput {
    const namedType = getNamedType(definition.type);
    return { weight: own ?? this.directives.types.get(namedType.name) ?? null, namedType };
  }
}
