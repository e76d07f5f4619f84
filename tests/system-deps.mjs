// What the tests need from the machine besides npm packages: Debian's Chromium for browser
// tests, docker-compose to validate docker-compose.yml, and MariaDB on 127.0.0.1:3306 with its
// time-zone tables loaded.
// Installs or starts what is missing (as root, the way CI runs), else says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

const has = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

function missingPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!has('docker', ['compose', 'version']) && !has('docker-compose', ['version'])) missing.push('docker-compose');
  return missing;
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export async function ensureSystemDeps() {
  const missing = missingPackages();
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      throw new Error(`the tests need Debian packages: sudo apt-get install -y ${missing.join(' ')}`);
    }
    console.error(`installing ${missing.join(', ')} from Debian's packages…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
    if (install.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
  }
  if (!(await portOpen(3306)) && existsSync('/usr/sbin/mariadbd')) {
    spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']);
    for (let i = 0; i < 30 && !(await portOpen(3306)); i++) await new Promise((r) => setTimeout(r, 1000));
  }
  loadMariaDbTimeZones();
}

/** CONVERT_TZ with named zones (the MySQL dialect's time zones) needs MariaDB's zone tables, empty on a fresh install. */
function loadMariaDbTimeZones() {
  const mysql = ['-uroot', '-h127.0.0.1', '-N', '-e'];
  const count = spawnSync('mysql', [...mysql, 'SELECT COUNT(*) FROM mysql.time_zone_name'], { encoding: 'utf8' });
  if (count.status !== 0 || Number(count.stdout.trim()) > 0) return;
  console.error('loading MariaDB time-zone tables from /usr/share/zoneinfo…');
  const tz = spawnSync('mysql_tzinfo_to_sql', ['/usr/share/zoneinfo'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  if (tz.status !== 0) throw new Error('mysql_tzinfo_to_sql failed: load the zones with mysql_tzinfo_to_sql /usr/share/zoneinfo | mysql -u root mysql');
  const load = spawnSync('mysql', ['-uroot', '-h127.0.0.1', 'mysql'], { input: tz.stdout, stdio: ['pipe', 'ignore', 'inherit'] });
  if (load.status !== 0) throw new Error('loading the MariaDB time-zone tables failed');
}
