// Runs the shared store suite on a DuckDB file in a temp dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from './conformance.ts';
import { DuckDBStore } from './duckdb.ts';

storeConformance('duckdb', () => DuckDBStore.open(join(mkdtempSync(join(tmpdir(), 'preagg-duck-')), 'p.duckdb')));
