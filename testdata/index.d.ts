/** This folder: the repository's test data. */
export declare function testDataDir(): string;
/** A file of the test data by its path inside `testdata/`, e.g. `ohlcv/equities/SPY_D.csv`. */
export declare function testDataFile(relative: string): string;
