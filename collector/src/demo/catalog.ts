// The demo site and the world around it: pages (ranked for Zipf popularity), where visitors
// come from (search, social, email, paid and referral links with real referrer URLs and UTM
// tags), countries with public IP blocks that geoip resolves, and real browser user agents.

export interface Page { readonly path: string; readonly title: string; readonly height: number }

const blogPosts = [
  'ga4-alternatives', 'self-hosted-analytics', 'snowplow-vs-ga', 'privacy-first-tracking', 'cube-semantic-layer',
  'parquet-for-events', 'duckdb-analytics', 'funnel-analysis', 'bounce-rate-explained', 'utm-best-practices',
  'cookie-consent', 'server-side-tracking', 'engagement-time', 'retention-cohorts', 'data-warehouse-costs',
];
const products = ['starter-kit', 'pro-plan', 'team-plan', 'enterprise', 'support-pack', 'training', 'consulting', 'hosting'];

/** Pages in popularity order (rank 0 = most visited). */
export const pages: readonly Page[] = Object.freeze([
  { path: '/', title: 'Webcube — analytics you own', height: 3200 },
  { path: '/pricing', title: 'Pricing', height: 2400 },
  { path: '/features', title: 'Features', height: 4000 },
  { path: '/docs/getting-started', title: 'Getting started', height: 5200 },
  ...blogPosts.slice(0, 4).map((p) => ({ path: `/blog/${p}`, title: p.replace(/-/g, ' '), height: 6000 })),
  ...products.slice(0, 4).map((p) => ({ path: `/products/${p}`, title: `Product: ${p}`, height: 2800 })),
  { path: '/signup', title: 'Sign up', height: 1400 },
  { path: '/docs/tracking', title: 'Tracking guide', height: 7000 },
  { path: '/about', title: 'About us', height: 2000 },
  ...blogPosts.slice(4).map((p) => ({ path: `/blog/${p}`, title: p.replace(/-/g, ' '), height: 5500 })),
  ...products.slice(4).map((p) => ({ path: `/products/${p}`, title: `Product: ${p}`, height: 2600 })),
  { path: '/contact', title: 'Contact', height: 1600 },
  { path: '/docs/api', title: 'API reference', height: 9000 },
  { path: '/careers', title: 'Careers', height: 2200 },
  { path: '/legal/privacy', title: 'Privacy policy', height: 8000 },
]);

export const checkoutPages = Object.freeze({
  cart: { path: '/cart', title: 'Your cart', height: 1800 },
  checkout: { path: '/checkout', title: 'Checkout', height: 2000 },
  complete: { path: '/checkout/complete', title: 'Thank you', height: 1200 },
});

export type Channel = 'direct' | 'organic' | 'social' | 'email' | 'cpc' | 'referral' | 'display';

export interface Acquisition {
  readonly channel: Channel;
  readonly referrer?: string;
  /** Query string appended to the landing page URL (UTM tags, click ids). */
  readonly query?: string;
}

export const searchEngines = [
  ['https://www.google.com/search?q=', 70], ['https://www.bing.com/search?q=', 15],
  ['https://duckduckgo.com/?q=', 10], ['https://search.yahoo.com/search?p=', 5],
] as const;
export const searchTerms = ['web analytics', 'google analytics alternative', 'self hosted analytics', 'snowplow collector', 'cube js', 'funnel analysis'];
export const socialSites = [
  ['https://www.facebook.com/', 30], ['https://t.co/x1Yz', 25], ['https://www.linkedin.com/feed/', 20],
  ['https://www.reddit.com/r/analytics/', 15], ['https://news.ycombinator.com/item?id=1', 10],
] as const;
export const referralSites = ['https://dev.to/someone/post', 'https://github.com/awesome/analytics', 'https://medium.com/@writer/story', 'https://stackoverflow.com/questions/1'];
export const campaigns = Object.freeze({
  email: [{ source: 'newsletter', campaign: 'monthly-digest' }, { source: 'newsletter', campaign: 'product-launch' }],
  cpc: [{ source: 'google', campaign: 'brand' }, { source: 'google', campaign: 'competitors' }, { source: 'bing', campaign: 'brand' }],
  display: [{ source: 'adnetwork', campaign: 'retargeting' }],
});

export interface Country { readonly code: string; readonly weight: number; readonly blocks: readonly string[]; readonly lang: string; readonly tz: string }

/** Public /24 blocks checked against geoip-lite's database (host part is drawn at random). */
export const countries: readonly Country[] = Object.freeze([
  { code: 'US', weight: 30, blocks: ['23.20.0.', '3.80.0.'], lang: 'en-US', tz: 'America/New_York' },
  { code: 'DE', weight: 10, blocks: ['85.214.1.', '91.0.0.'], lang: 'de-DE', tz: 'Europe/Berlin' },
  { code: 'GB', weight: 9, blocks: ['81.2.69.', '51.140.0.'], lang: 'en-GB', tz: 'Europe/London' },
  { code: 'FR', weight: 7, blocks: ['90.1.0.', '82.64.0.'], lang: 'fr-FR', tz: 'Europe/Paris' },
  { code: 'IN', weight: 7, blocks: ['49.204.0.', '59.88.0.'], lang: 'en-IN', tz: 'Asia/Kolkata' },
  { code: 'BR', weight: 5, blocks: ['177.10.0.', '189.0.0.'], lang: 'pt-BR', tz: 'America/Sao_Paulo' },
  { code: 'CA', weight: 5, blocks: ['24.114.0.', '142.112.0.'], lang: 'en-CA', tz: 'America/Toronto' },
  { code: 'JP', weight: 4, blocks: ['133.1.0.', '126.0.0.'], lang: 'ja-JP', tz: 'Asia/Tokyo' },
  { code: 'NL', weight: 3, blocks: ['77.160.0.', '84.80.0.'], lang: 'nl-NL', tz: 'Europe/Amsterdam' },
  { code: 'ES', weight: 3, blocks: ['80.24.0.', '88.0.0.'], lang: 'es-ES', tz: 'Europe/Madrid' },
  { code: 'IT', weight: 3, blocks: ['79.0.0.', '93.32.0.'], lang: 'it-IT', tz: 'Europe/Rome' },
  { code: 'AU', weight: 3, blocks: ['1.128.0.', '101.160.0.'], lang: 'en-AU', tz: 'Australia/Sydney' },
  { code: 'PL', weight: 2, blocks: ['83.0.0.', '89.64.0.'], lang: 'pl-PL', tz: 'Europe/Warsaw' },
  { code: 'SE', weight: 2, blocks: ['78.64.0.', '81.224.0.'], lang: 'sv-SE', tz: 'Europe/Stockholm' },
  { code: 'MX', weight: 2, blocks: ['201.128.0.', '189.128.0.'], lang: 'es-MX', tz: 'America/Mexico_City' },
  { code: 'KR', weight: 1, blocks: ['121.128.0.', '175.192.0.'], lang: 'ko-KR', tz: 'Asia/Seoul' },
  { code: 'TR', weight: 1, blocks: ['78.160.0.', '85.96.0.'], lang: 'tr-TR', tz: 'Europe/Istanbul' },
  { code: 'CH', weight: 1, blocks: ['85.0.0.', '178.192.0.'], lang: 'de-CH', tz: 'Europe/Zurich' },
  { code: 'SG', weight: 1, blocks: ['118.200.0.', '203.116.0.'], lang: 'en-SG', tz: 'Asia/Singapore' },
  { code: 'ZA', weight: 1, blocks: ['41.0.0.', '105.0.0.'], lang: 'en-ZA', tz: 'Africa/Johannesburg' },
]);

export interface Device {
  readonly kind: 'desktop' | 'mobile' | 'tablet';
  readonly ua: string;
  readonly screen: readonly [number, number];
  readonly viewport: readonly [number, number];
  readonly weight: number;
}

export const devices: readonly Device[] = Object.freeze([
  { kind: 'desktop', weight: 28, screen: [1920, 1080], viewport: [1903, 937], ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' },
  { kind: 'desktop', weight: 10, screen: [2560, 1440], viewport: [2543, 1297], ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' },
  { kind: 'desktop', weight: 7, screen: [1440, 900], viewport: [1440, 789], ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' },
  { kind: 'desktop', weight: 6, screen: [1920, 1080], viewport: [1920, 955], ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0' },
  { kind: 'desktop', weight: 4, screen: [1920, 1080], viewport: [1903, 931], ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0' },
  { kind: 'desktop', weight: 2, screen: [1920, 1080], viewport: [1920, 960], ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' },
  { kind: 'mobile', weight: 20, screen: [390, 844], viewport: [390, 664], ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' },
  { kind: 'mobile', weight: 15, screen: [412, 915], viewport: [412, 783], ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36' },
  { kind: 'mobile', weight: 4, screen: [384, 854], viewport: [384, 728], ua: 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36' },
  { kind: 'tablet', weight: 4, screen: [820, 1180], viewport: [820, 1106], ua: 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1' },
]);

export const botUserAgents: readonly string[] = Object.freeze([
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
]);
