import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGeoLookup } from './geo.ts';

test('geoip-lite resolves a public IP offline and returns nothing for private ones', () => {
  const geo = createGeoLookup('geoip-lite')!;
  const g = geo('8.8.8.8');
  assert.equal(g?.geo_country, 'US');
  assert.equal(typeof g?.geo_latitude, 'number');
  assert.equal(geo('10.1.2.3'), undefined);
  assert.equal(geo('127.0.0.1'), undefined);
});

test('off disables the lookup; a missing .mmdb fails loudly at start', () => {
  assert.equal(createGeoLookup('off'), undefined);
  assert.throws(() => createGeoLookup('/nonexistent/GeoLite2-City.mmdb'), /ENOENT/);
});
