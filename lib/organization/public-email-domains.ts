/**
 * Mail providers anyone can get an address at: listing one as an organization's allowed domain would let
 * the whole world join it. Kept by hand; a domain missing here is still refused unless the owner has a
 * verified address at it themselves (lib/organization/domains.ts).
 */
export const PUBLIC_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  '163.com',
  '126.com',
  'aim.com',
  'aol.com',
  'duck.com',
  'fastmail.com',
  'fastmail.fm',
  'gmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'googlemail.com',
  'hey.com',
  'hotmail.com',
  'hotmail.co.uk',
  'icloud.com',
  'inbox.com',
  'live.com',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'outlook.com',
  'pm.me',
  'proton.me',
  'protonmail.com',
  'qq.com',
  'rocketmail.com',
  't-online.de',
  'tutanota.com',
  'web.de',
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.fr',
  'yandex.com',
  'yandex.ru',
  'ymail.com',
  'zoho.com',
]);

export const isPublicEmailDomain = (domain: string) =>
  PUBLIC_EMAIL_DOMAINS.has(domain.toLowerCase());
