import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/**
 * Whether the operation selects `path` (field names, aliases aside) under the field being resolved,
 * through inline fragments and fragment spreads. `@skip`/`@include` are not evaluated: a field named
 * under one counts as selected, so a reader that skips work for unselected fields never skips too much.
 */
export function selectsPath(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  const reaches = (selections: readonly SelectionNode[], depth: number): boolean =>
    selections.some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          if (selection.name.value !== path[depth]) return false;
          return depth === path.length - 1 || (selection.selectionSet !== undefined && reaches(selection.selectionSet.selections, depth + 1));
        case Kind.INLINE_FRAGMENT:
          return reaches(selection.selectionSet.selections, depth);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = info.fragments[selection.name.value];
          return fragment === undefined || reaches(fragment.selectionSet.selections, depth);
        }
      }
    });
  return info.fieldNodes.some((node) => node.selectionSet !== undefined && reaches(node.selectionSet.selections, 0));
}
