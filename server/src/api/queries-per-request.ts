// How many queries one request may start: a blending query (an array), a compareDateRange query
// (one query per range) or a GraphQL document (one query per aliased `cube` field). Without a bound,
// one request of 10,000 aliases or ranges filled the query queue for every other client.
import { UserError } from '../errors.ts';

export const MAX_QUERIES_PER_REQUEST = 50;

export function checkQueriesPerRequest(count: number, what: string): void {
  if (count > MAX_QUERIES_PER_REQUEST) {
    throw new UserError(`A request may run at most ${MAX_QUERIES_PER_REQUEST} queries; this ${what} asks for ${count}`);
  }
}
