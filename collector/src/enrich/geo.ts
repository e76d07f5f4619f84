// IP → geo_* columns. Offline by default through geoip-lite's bundled GeoLite data; a MaxMind
// GeoIP2/GeoLite2 City .mmdb (COLLECTOR_GEOIP_DB) gives region names, postcodes and better
// accuracy. Loaded once at start; lookups are synchronous and in memory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type CityResponse } from 'maxmind';
import { LruCache } from './lru-cache.ts';

export interface GeoFields {
  readonly geo_country: string | null; readonly geo_region: string | null; readonly geo_city: string | null;
  readonly geo_zipcode: string | null; readonly geo_latitude: number | null; readonly geo_longitude: number | null;
  readonly geo_region_name: string | null; readonly geo_timezone: string | null;
}

export type GeoLookup = (ip: string) => GeoFields | undefined;

interface GeoipLite {
  lookup(ip: string): { country: string; region: string; city: string; timezone: string; ll: [number, number] } | null;
}

function fromGeoipLite(): GeoLookup {
  // geoip-lite is CommonJS and reads ~100 MB of tables when required, so only when geo is on.
  const geoip = createRequire(import.meta.url)('geoip-lite') as GeoipLite;
  return (ip) => {
    const r = geoip.lookup(ip);
    if (!r) return undefined;
    return {
      geo_country: r.country || null, geo_region: r.region || null, geo_city: r.city || null, geo_zipcode: null,
      geo_latitude: r.ll?.[0] ?? null, geo_longitude: r.ll?.[1] ?? null, geo_region_name: null, geo_timezone: r.timezone || null,
    };
  };
}

function fromMaxMind(path: string): GeoLookup {
  const reader = new Reader<CityResponse>(readFileSync(path));
  return (ip) => {
    const r = reader.get(ip);
    if (!r) return undefined;
    const sub = r.subdivisions?.[0];
    return {
      geo_country: r.country?.iso_code ?? r.registered_country?.iso_code ?? null,
      geo_region: sub?.iso_code ?? null, geo_city: r.city?.names?.en ?? null, geo_zipcode: r.postal?.code ?? null,
      geo_latitude: r.location?.latitude ?? null, geo_longitude: r.location?.longitude ?? null,
      geo_region_name: sub?.names?.en ?? null, geo_timezone: r.location?.time_zone ?? null,
    };
  };
}

/** `source`: 'geoip-lite', 'off', or the path of a .mmdb file. A tracker batch carries one IP
 *  for all its events and users come back, so lookups are cached per IP. */
export function createGeoLookup(source: string, cacheSize = 10_000): GeoLookup | undefined {
  if (source === 'off') return undefined;
  const lookup = source === 'geoip-lite' ? fromGeoipLite() : fromMaxMind(source);
  const cache = new LruCache<string, GeoFields | null>(cacheSize);
  return (ip) => {
    let hit = cache.get(ip);
    if (hit === undefined) {
      hit = lookup(ip) ?? null;
      cache.set(ip, hit);
    }
    return hit ?? undefined;
  };
}
