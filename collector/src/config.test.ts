import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCollectorConfig } from './config.ts';

test('defaults follow Snowplow: port 8080, cookie sp for a year, SameSite=None; Secure', () => {
  const c = loadCollectorConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.trustProxy, false);
  assert.deepEqual({ ...c.cookie }, { enabled: true, name: 'sp', domains: [], maxAgeSeconds: 365 * 86400, sameSite: 'None', secure: true, httpOnly: true });
  assert.equal(c.enrich.geoip, 'geoip-lite');
  assert.equal(c.storage.dataDir, './data');
  assert.ok(Object.isFrozen(c));
});

test('values are parsed and normalised', () => {
  const c = loadCollectorConfig({
    COLLECTOR_PORT: '0', COLLECTOR_TRUST_PROXY: 'true', COLLECTOR_COOKIE_DOMAINS: 'Example.com, shop.example',
    COLLECTOR_COOKIE_SAMESITE: 'lax', COLLECTOR_COOKIE_SECURE: 'false', COLLECTOR_ANON_IP_OCTETS: '2', COLLECTOR_GEOIP_DB: 'none',
    COLLECTOR_PATHS: '/acme/t=/com.snowplowanalytics.snowplow/tp2, /acme/p=/i',
  });
  assert.deepEqual({ ...c.paths }, { '/acme/t': '/com.snowplowanalytics.snowplow/tp2', '/acme/p': '/i' });
  assert.equal(c.port, 0);
  assert.equal(c.trustProxy, true);
  assert.deepEqual(c.cookie.domains, ['example.com', 'shop.example']);
  assert.equal(c.cookie.sameSite, 'Lax');
  assert.equal(c.enrich.anonOctets, 2);
  assert.equal(c.enrich.geoip, 'off');
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadCollectorConfig({ COLLECTOR_PORT: 'eighty' }), /COLLECTOR_PORT/);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_ANON_IP_OCTETS: '5' }), /COLLECTOR_ANON_IP_OCTETS/);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_COOKIE_SAMESITE: 'sometimes' }), /COLLECTOR_COOKIE_SAMESITE/);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_COOKIE_SECURE: 'false' }), /COLLECTOR_COOKIE_SECURE.*SameSite|COLLECTOR_COOKIE_SECURE/);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_BATCH_TOKEN: 'short' }), /COLLECTOR_BATCH_TOKEN/);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_PATHS: '/x=/nowhere' }), /COLLECTOR_PATHS/);
});

test('COLLECTOR_WRITER_THREADS: one DuckDB writer thread by default, validated', () => {
  assert.equal(loadCollectorConfig({}).storage.writerThreads, 1);
  assert.equal(loadCollectorConfig({ COLLECTOR_WRITER_THREADS: '2' }).storage.writerThreads, 2);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_WRITER_THREADS: '0' }), /COLLECTOR_WRITER_THREADS/);
});

test('COLLECTOR_MAX_JSON_DEPTH: 40 by default, validated, passed to enrichment', () => {
  assert.equal(loadCollectorConfig({}).enrich.maxJsonDepth, 40);
  assert.equal(loadCollectorConfig({ COLLECTOR_MAX_JSON_DEPTH: '8' }).enrich.maxJsonDepth, 8);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_MAX_JSON_DEPTH: '3' }), /COLLECTOR_MAX_JSON_DEPTH/);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_MAX_JSON_DEPTH: '100000' }), /COLLECTOR_MAX_JSON_DEPTH/);
});

test('privacy defaults: IPs anonymised (IPv4 last octet, IPv6 last 80 bits), consent honoured; both validated', () => {
  const c = loadCollectorConfig({});
  assert.deepEqual([c.enrich.anonOctets, c.enrich.anonSegments, c.enrich.honourConsent], [1, 5, true]);
  const off = loadCollectorConfig({ COLLECTOR_ANON_IP_OCTETS: '0', COLLECTOR_ANON_IP_SEGMENTS: '0', COLLECTOR_CONSENT_ENFORCE: 'false' });
  assert.deepEqual([off.enrich.anonOctets, off.enrich.anonSegments, off.enrich.honourConsent], [0, 0, false]);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_CONSENT_ENFORCE: 'maybe' }), /COLLECTOR_CONSENT_ENFORCE/);
});
