import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwritable, writeOutput } from './output-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-outputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('an output file is checked before the run', () => {
  it('names a missing folder, a file where the folder should be, and a folder where the file should be', () => {
    expect(unwritable(join(dir, 'report.html'))).toBeUndefined();
    expect(unwritable(join(dir, 'nope', 'report.html'))).toBe(`the folder ${join(dir, 'nope')} does not exist`);
    writeFileSync(join(dir, 'plain'), '');
    expect(unwritable(join(dir, 'plain', 'report.html'))).toBe(`${join(dir, 'plain')} is a file, not a folder`);
    mkdirSync(join(dir, 'report.html'));
    expect(unwritable(join(dir, 'report.html'))).toBe(`${join(dir, 'report.html')} is a folder`);
  });

  // The superuser may write anywhere, so a read-only folder only stops other users.
  it.skipIf(process.getuid?.() === 0)('names a read-only folder', () => {
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    expect(unwritable(join(dir, 'locked', 'report.html'))).toBe(`the folder ${join(dir, 'locked')} is not writable by this user`);
    chmodSync(join(dir, 'locked'), 0o700);
  });
});

describe("a finished run's output is never lost", () => {
  it('is written where asked when it can be', () => {
    expect(writeOutput(join(dir, 'report.html'), '<html>', dir)).toEqual({ path: join(dir, 'report.html') });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('<html>');
  });

  it('goes to the current folder, with the reason, when its folder went away during the run', () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(cwd);
    const written = writeOutput(join(dir, 'gone', 'report.html'), '<html>', cwd);
    expect(written.path).toBe(join(cwd, 'report.html'));
    expect(written.failure).toMatch(/^ENOENT: /);
    expect(readFileSync(written.path, 'utf8')).toBe('<html>');
  });

  it('goes to the temporary folder when the current folder cannot take it either', () => {
    writeFileSync(join(dir, 'plain'), '');
    const written = writeOutput(join(dir, 'plain', 'report.html'), '<html>', join(dir, 'plain'));
    expect(written.path.startsWith(tmpdir())).toBe(true);
    expect(written.path.endsWith('-report.html')).toBe(true);
    expect(readFileSync(written.path, 'utf8')).toBe('<html>');
    rmSync(written.path);
  });
});
