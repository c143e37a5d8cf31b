import { fileURLToPath } from 'node:url';

/** This folder: the repository's test data. */
export function testDataDir() {
  return fileURLToPath(new URL('.', import.meta.url));
}

/** A file of the test data by its path inside `testdata/`, e.g. `ohlcv/equities/SPY_D.csv`. */
export function testDataFile(relative) {
  return fileURLToPath(new URL(relative, import.meta.url));
}
