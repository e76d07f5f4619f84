// A GraphQL validation rule bounding the root `cube` fields of a document: each alias runs one
// query, so `{ a1: cube {…} a2: cube {…} … }` is the GraphQL spelling of a query array.
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { MAX_QUERIES_PER_REQUEST } from '../api/queries-per-request.ts';

export function rootFieldLimit(context: ValidationContext): ASTVisitor {
  let count = 0;
  return {
    Field(node) {
      if (context.getParentType() !== context.getSchema().getQueryType() || node.name.value.startsWith('__')) return;
      if (++count === MAX_QUERIES_PER_REQUEST + 1) {
        context.reportError(new GraphQLError(`A request may run at most ${MAX_QUERIES_PER_REQUEST} queries; this GraphQL document has more root fields`, { nodes: node }));
      }
    },
  };
}
