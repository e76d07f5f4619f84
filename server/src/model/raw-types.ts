// Intermediate shapes between the file loaders (YAML, JS) and the compiler: definitions with
// camelCase keys and SQL snippets parsed into templates whose references are not resolved yet.

/** A reference as written: ['CUBE'], ['CUBE','m'], ['m'], ['users'], ['users','m']. */
export interface RawRef { readonly type: 'ref'; readonly path: readonly string[] }
export interface RawFilterParams {
  readonly type: 'filterParams';
  readonly cube: string;
  readonly member: string;
  readonly column?: RawTemplate;
  readonly callback?: RawTemplate;
  readonly dtFilter?: boolean;
}
export interface RawSecurityContext {
  readonly type: 'securityContext';
  readonly path: readonly string[];
  readonly mode: 'param' | 'unsafe' | 'filter' | 'requiredFilter';
  readonly column?: RawTemplate;
  /** JS `.filter((values) => ...)`: see SecurityContextPart.callback. */
  readonly callback?: (values: string | readonly string[]) => RawTemplate;
}
export type RawPart =
  | string
  | RawRef
  | RawFilterParams
  | RawSecurityContext
  | { readonly type: 'filterArg'; readonly index: number }
  | { readonly type: 'compileContext'; readonly path: readonly string[] }
  | { readonly type: 'convertTz'; readonly sql: RawTemplate }
  /** `{other_cube.sql()}` / `${other_cube.sql()}`: that cube's SQL, inlined when resolved. */
  | { readonly type: 'cubeSql'; readonly path: readonly string[] }
  | { readonly type: 'filterGroup'; readonly filters: readonly RawFilterParams[] };
export type RawTemplate = readonly RawPart[];

/** How a loader turns its native values (YAML strings, JS strings/functions/proxies) into templates. */
export interface ValueReader {
  /** An SQL snippet. Throws Error with a user-facing message on bad syntax. */
  sql(value: unknown): RawTemplate;
  /** A list of member references (drill_members, pre-aggregation members...). */
  refs(value: unknown): (readonly string[])[];
  /** A single reference (time_dimension). */
  ref(value: unknown): readonly string[];
}

export interface RawDefinition {
  readonly kind: 'cube' | 'view';
  readonly name: string;
  /** Properties with camelCase keys (meta left as written); collections as arrays of {name,...}. */
  readonly props: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line: number;
  /** Best known line of a nested definition, e.g. lineOf(['measures', 'count']). */
  lineOf(path: readonly string[]): number;
  readonly reader: ValueReader;
}

export interface LoadedFile {
  readonly definitions: readonly RawDefinition[];
  readonly errors: readonly { file: string; line: number; path: string; message: string }[];
}
