// The DuckDB store: the store contract, read-only SQL that cannot write or escape, and its faults.
import { join } from 'node:path';
import { storeContract } from './contract.js';
import { openDuckDbStore } from './duckdb.js';

storeContract('duckdb', (dir) => openDuckDbStore(join(dir, 'fwlens.duckdb')));
