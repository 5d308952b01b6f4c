import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/**
 * Whether the operation selects `path` (field names, aliases aside) under the field being resolved,
 * through inline fragments and fragment spreads, with `@skip` and `@include` applied as graphql-js
 * applies them when it executes: a resolver that leaves out work for unselected fields then leaves out
 * exactly what will not be shown.
 */
export function selectsPath(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>, path: readonly string[]): boolean {
  const included = (node: SelectionNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const reaches = (selections: readonly SelectionNode[], depth: number): boolean =>
    selections.some((selection) => {
      if (!included(selection)) return false;
      switch (selection.kind) {
        case Kind.FIELD:
          if (selection.name.value !== path[depth]) return false;
          return depth === path.length - 1 || (selection.selectionSet !== undefined && reaches(selection.selectionSet.selections, depth + 1));
        case Kind.INLINE_FRAGMENT:
          return reaches(selection.selectionSet.selections, depth);
        case Kind.FRAGMENT_SPREAD: {
          // Validation rejects unknown fragments; counted as selected all the same.
          const fragment = info.fragments[selection.name.value];
          return fragment === undefined || reaches(fragment.selectionSet.selections, depth);
        }
      }
    });
  return info.fieldNodes.some((node) => node.selectionSet !== undefined && reaches(node.selectionSet.selections, 0));
}
