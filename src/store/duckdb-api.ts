// `@duckdb/node-api`'s values, loaded with require(): the package is CommonJS, and importing it from ESM makes
// Node scan each of its files for their exports first (~30 ms of every store command's start, measured in a
// CPU profile of `fwlens ingest`). Types come from the package as usual (`import type`).
import { createRequire } from 'node:module';
import type * as Api from '@duckdb/node-api';

const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof Api;

export const DuckDBDataChunk = api.DuckDBDataChunk;
export type DuckDBDataChunk = Api.DuckDBDataChunk;
export const DuckDBInstance = api.DuckDBInstance;
export type DuckDBInstance = Api.DuckDBInstance;
export const DuckDBUIntegerType = api.DuckDBUIntegerType;
export type DuckDBUIntegerType = Api.DuckDBUIntegerType;
export const DuckDBUSmallIntType = api.DuckDBUSmallIntType;
export type DuckDBUSmallIntType = Api.DuckDBUSmallIntType;
export const { INTEGER, LIST, StatementType, VARCHAR } = api;
