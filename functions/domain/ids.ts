import { randomBytes } from 'node:crypto';

/** The one id generator. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const base32 = (bytes: Uint8Array, length: number) => {
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[bytes[i % bytes.length]! % 32];
  return out;
};

/** Time-ordered case id (ULID layout: 10 chars of milliseconds, 16 random), so ids sort by filing time. */
export const newCaseId = (at: Date): string => {
  let ms = at.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  return time + base32(randomBytes(16), 16);
};

/**
 * The dossier code a family quotes (hồ sơ số): receiving commune, receipt date (YYMMDD, Vietnam time), 6 random chars.
 * Example: `LT-00004-261123-7KQ2MX`.
 */
export const newDossierCode = (communeCode: string, vnDate: string): string =>
  `LT-${communeCode}-${vnDate.replaceAll('-', '').slice(2)}-${base32(randomBytes(6), 6)}`;

/** The parent's tracking secret: 10 Crockford base32 characters (50 bits), shown once at filing. */
export const newTrackingSecret = (): string => base32(randomBytes(10), 10);

/** Random decimal digits, for the random part of identifiers (domain.md §7.2 digits 7–12). */
export const randomDigits = (n: number): string => {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += String(bytes[i]! % 10);
  return out;
};
