// The report's browser test needs Debian's chromium. Install it when it is missing and this process may
// (root with apt-get, as on CI); otherwise say what to install. Never downloads a browser from anywhere else.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(`ensure-chromium: ${CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium) to run the report's browser test`);
  process.exit(0);
}
console.log('ensure-chromium: installing Debian chromium for the report browser test');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
