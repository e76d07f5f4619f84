// A compact referer database (the role of Snowplow's referer-parser referers.json): the major
// search engines with their keyword parameters, social networks and webmail providers.
// Keys are registrable host suffixes; lookups walk up the host's labels.
export interface RefererEntry { readonly medium: 'search' | 'social' | 'email'; readonly source: string; readonly params?: readonly string[] }

const search = (source: string, params: string[], ...hosts: string[]) => hosts.map((h) => [h, { medium: 'search', source, params }] as const);
const social = (source: string, ...hosts: string[]) => hosts.map((h) => [h, { medium: 'social', source }] as const);
const email = (source: string, ...hosts: string[]) => hosts.map((h) => [h, { medium: 'email', source }] as const);

const GOOGLE_TLDS = ['com', 'co.uk', 'de', 'fr', 'es', 'it', 'nl', 'ca', 'com.au', 'co.in', 'co.jp', 'com.br', 'ru', 'pl', 'se', 'ch', 'at', 'be', 'dk', 'no', 'fi', 'pt', 'ie', 'cz', 'com.mx', 'com.ar', 'co.za', 'com.tr', 'gr', 'hu', 'ro', 'co.kr', 'com.sg', 'co.nz', 'com.hk', 'com.tw', 'co.il', 'com.ua', 'cn'];

export const refererTable: ReadonlyMap<string, RefererEntry> = new Map<string, RefererEntry>([
  ...search('Google', ['q', 'query'], ...GOOGLE_TLDS.map((tld) => `google.${tld}`)),
  ...search('Bing', ['q', 'Q'], 'bing.com', 'cn.bing.com'),
  ...search('Yahoo!', ['p', 'q'], 'search.yahoo.com', 'yahoo.com', 'yahoo.co.jp'),
  ...search('DuckDuckGo', ['q'], 'duckduckgo.com'),
  ...search('Baidu', ['wd', 'word', 'kw'], 'baidu.com'),
  ...search('Yandex', ['text'], 'yandex.ru', 'yandex.com', 'yandex.com.tr', 'ya.ru'),
  ...search('Ecosia', ['q'], 'ecosia.org'),
  ...search('Qwant', ['q'], 'qwant.com'),
  ...search('Naver', ['query'], 'naver.com'),
  ...search('Seznam', ['q'], 'seznam.cz'),
  ...search('Brave', ['q'], 'search.brave.com'),
  ...search('Startpage', ['query', 'q'], 'startpage.com'),
  ...search('AOL', ['q', 'query'], 'search.aol.com'),
  ...search('Ask', ['q'], 'ask.com'),
  ...search('Sogou', ['query'], 'sogou.com'),
  ...search('Perplexity', ['q'], 'perplexity.ai'),
  ...search('ChatGPT', ['q'], 'chatgpt.com', 'chat.openai.com'),
  ...social('Facebook', 'facebook.com', 'fb.com', 'm.facebook.com', 'l.facebook.com', 'lm.facebook.com', 'fb.me'),
  ...social('Instagram', 'instagram.com', 'l.instagram.com'),
  ...social('Twitter', 'twitter.com', 't.co', 'x.com'),
  ...social('LinkedIn', 'linkedin.com', 'lnkd.in'),
  ...social('Reddit', 'reddit.com', 'old.reddit.com', 'out.reddit.com'),
  ...social('YouTube', 'youtube.com', 'youtu.be', 'm.youtube.com'),
  ...social('Pinterest', 'pinterest.com', 'pin.it'),
  ...social('TikTok', 'tiktok.com'),
  ...social('Tumblr', 'tumblr.com'),
  ...social('Quora', 'quora.com'),
  ...social('Hacker News', 'news.ycombinator.com'),
  ...social('Mastodon', 'mastodon.social', 'mastodon.online'),
  ...social('Bluesky', 'bsky.app'),
  ...social('Threads', 'threads.net'),
  ...social('VKontakte', 'vk.com'),
  ...social('WhatsApp', 'whatsapp.com', 'web.whatsapp.com'),
  ...social('Telegram', 'telegram.org', 't.me'),
  ...social('Discord', 'discord.com', 'discord.gg'),
  ...social('Weibo', 'weibo.com'),
  ...social('Snapchat', 'snapchat.com'),
  ...social('Xing', 'xing.com'),
  ...social('Stack Overflow', 'stackoverflow.com'),
  ...email('Gmail', 'mail.google.com'),
  ...email('Outlook.com', 'outlook.live.com', 'outlook.office.com', 'outlook.office365.com', 'mail.live.com'),
  ...email('Yahoo! Mail', 'mail.yahoo.com', 'mail.yahoo.co.jp'),
  ...email('AOL Mail', 'mail.aol.com'),
  ...email('Proton Mail', 'mail.proton.me', 'mail.protonmail.com'),
  ...email('iCloud Mail', 'icloud.com'),
  ...email('Zoho Mail', 'mail.zoho.com'),
  ...email('GMX', 'gmx.net', 'gmx.de', 'gmx.com'),
  ...email('Web.de', 'web.de'),
  ...email('Yandex Mail', 'mail.yandex.ru'),
  ...email('Mail.ru', 'e.mail.ru'),
]);
