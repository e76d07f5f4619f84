// The options a user's `cube.js` may export, as in Cube's server-core (same names, same call
// shapes), and the loader that evaluates it as CommonJS like Cube does.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import type { SecurityContext } from '../auth/verify-token.ts';

export type RequestContext = Readonly<{ securityContext: SecurityContext; requestId: string; authInfo?: SecurityContext }>;

/** What `checkAuth` receives as `req`: enough of Express's request for Cube-style hooks. */
export type AuthRequest = {
  headers: Record<string, string | string[] | undefined>;
  url: string;
  method: string;
  securityContext?: SecurityContext;
  authInfo?: SecurityContext;
};

/** Cube hands queryRewrite only the query and the context; webcube adds `cubes` so a rewrite can see the model. */
export type QueryRewriteContext = RequestContext & { cubes: ReadonlyArray<{ name: string; dimensions: readonly string[]; measures: readonly string[] }> };

export type CubeQuery = Record<string, unknown>;

export interface CubeOptions {
  basePath?: string;
  apiSecret?: string;
  schemaPath?: string;
  dbType?: string | ((ctx: RequestContext & { dataSource: string }) => string);
  checkAuth?: (req: AuthRequest, auth: string | undefined) => unknown;
  queryRewrite?: (query: CubeQuery, ctx: QueryRewriteContext) => CubeQuery | Promise<CubeQuery>;
  /** Old name of queryRewrite. */
  queryTransformer?: (query: CubeQuery, ctx: QueryRewriteContext) => CubeQuery | Promise<CubeQuery>;
  contextToAppId?: (ctx: RequestContext) => string;
  contextToOrchestratorId?: (ctx: RequestContext) => string;
  contextToApiScopes?: (securityContext: SecurityContext, defaultScopes: string[]) => string[] | Promise<string[]>;
  scheduledRefreshContexts?: () => Promise<Array<{ securityContext: SecurityContext }>> | Array<{ securityContext: SecurityContext }>;
  scheduledRefreshTimeZones?: string[] | (() => string[] | Promise<string[]>);
  repositoryFactory?: (ctx: RequestContext) => { dataSchemaFiles(): Promise<Array<{ fileName: string; content: string }>> };
  driverFactory?: (ctx: RequestContext & { dataSource: string }) => unknown;
  orchestratorOptions?: OrchestratorOptions | ((ctx: RequestContext) => OrchestratorOptions);
  preAggregationsSchema?: string | ((ctx: RequestContext) => string);
  jwt?: { key?: string; algorithms?: string[]; issuer?: string | string[]; audience?: string; subject?: string; claimsNamespace?: string; jwkUrl?: string };
  http?: { cors?: { origin?: unknown; credentials?: boolean } };
  allowUngroupedWithoutPrimaryKey?: boolean;
  [other: string]: unknown;
}

export type OrchestratorOptions = {
  continueWaitTimeout?: number;
  rollupOnlyMode?: boolean;
  queryCacheOptions?: { refreshKeyRenewalThreshold?: number; queueOptions?: { concurrency?: number; executionTimeout?: number } };
  [other: string]: unknown;
};

/**
 * Loads `cube.js` (or the given file). Cube's files are CommonJS (`module.exports = {...}`);
 * our package is `"type": "module"`, so Node would refuse them as ESM: we run the source in a
 * CommonJS wrapper ourselves. Files using `export default` are imported as ESM instead.
 */
export async function loadCubeOptions(file: string, cwd = process.cwd()): Promise<CubeOptions> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  if (!existsSync(path)) return {};
  const source = readFileSync(path, 'utf8');
  let exported: unknown;
  if (path.endsWith('.mjs') || /^\s*export\s+default\b/m.test(source)) {
    exported = (await import(pathToFileURL(path).href)).default;
  } else {
    const module = { exports: {} as unknown };
    const fn = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: path });
    fn(module.exports, createRequire(path), module, path, dirname(path));
    exported = module.exports;
  }
  if (exported && typeof exported === 'object' && 'default' in exported && Object.keys(exported).length === 1) {
    exported = (exported as { default: unknown }).default;
  }
  if (exported === null || typeof exported !== 'object') throw new Error(`${path} must export an options object`);
  return exported as CubeOptions;
}
