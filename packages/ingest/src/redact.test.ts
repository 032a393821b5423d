import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.ts';

// Checkers written apart from the redactor, from the rules themselves: what must not survive redaction.
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

/** Every run of digits (single spaces or dashes between them) that is a Luhn-valid 13–19-digit number. */
function cardsIn(text: string): string[] {
  return [...text.matchAll(/\d+(?:[ -]\d+)*/g)].map((m) => m[0].replace(/[ -]/g, '')).filter((d) => d.length >= 13 && d.length <= 19 && luhn(d));
}

const ssnValid = (area: string, group: string, serial: string) => area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';

/** Every ddd-dd-dddd / ddd dd dddd that passes the SSN rules. */
function ssnsIn(text: string): string[] {
  return [...text.matchAll(/(?<!\d)(\d{3})[ -](\d{2})[ -](\d{4})(?!\d)/g)].filter((m) => ssnValid(m[1]!, m[2]!, m[3]!)).map((m) => m[0]);
}

/** ISO 13616 mod-97 over the rearranged IBAN, with BigInt: a second implementation, not the redactor's. */
function mod97(iban: string): number {
  const rearranged = (iban.slice(4) + iban.slice(0, 4)).toUpperCase();
  const numeric = [...rearranged].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  return Number(BigInt(numeric) % 97n);
}

/** Every country code + check digits + 11–30 characters (ending at a word's end) that passes mod-97, whatever the country. */
function ibansIn(text: string): string[] {
  const found: string[] = [];
  const start = /\b[A-Z]{2}\d{2}/gi;
  for (let m = start.exec(text); m !== null; m = start.exec(text)) {
    let compact = '';
    for (let i = m.index; i < text.length && /[A-Za-z0-9 ]/.test(text[i]!); i++) {
      if (text[i] === ' ') {
        if (text[i + 1] === ' ') break;
        continue;
      }
      compact += text[i];
      if (compact.length > 34) break;
      if (compact.length >= 15 && !/\w/.test(text[i + 1] ?? '') && mod97(compact) === 1) found.push(compact);
    }
    start.lastIndex = m.index + 1;
  }
  return found;
}

// Sentences around the identifier: words, and numbers that must survive (a time, a price, an order number, a date).
const word = fc.constantFrom('please', 'thanks', 'so', 'um', 'yes', 'okay', 'right', 'hello', 'sorry', 'the', 'is', 'it', 'and', 'that', 'one');
const filler = fc.constantFrom('at 10:30', 'at 9.45', '$1,250.00', 'order 12345678', 'ticket 4471-22', 'on 12/03/2025', '3 items', 'about 20 minutes');
const sentence = fc.array(fc.oneof({ arbitrary: word, weight: 3 }, { arbitrary: filler, weight: 1 }), { maxLength: 8 }).map((parts) => parts.join(' '));
const punctuation = fc.constantFrom('', '.', ',', '!', '?');

/** The identifier in a segment: a sentence, the words that give it, it, then a word and another sentence. */
const embedded = (pii: fc.Arbitrary<string>, intros: string[]) =>
  fc.record({ before: sentence, intro: fc.constantFrom(...intros), pii, punct: punctuation, next: word, after: sentence }).map((p) => ({
    ...p,
    text: `${p.before} ${p.intro} ${p.pii}${p.punct} ${p.next} ${p.after}`,
    placed: (placeholder: string) => `${p.before} ${p.intro} ${placeholder}${p.punct} ${p.next} ${p.after}`,
  }));

const digitsOf = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
  throw new Error('unreachable');
}

// Realistic issuer prefixes and lengths, and random ones.
const cardPrefixes: [prefix: string, lengths: number[]][] = [
  ['4', [13, 16, 19]],
  ['51', [16]],
  ['55', [16]],
  ['2221', [16]],
  ['34', [15]],
  ['37', [15]],
  ['6011', [16, 19]],
  ['65', [16]],
  ['36', [14]],
  ['35', [16, 17, 18, 19]],
];
const realisticCard = fc
  .constantFrom(...cardPrefixes)
  .chain(([prefix, lengths]) =>
    fc.constantFrom(...lengths).chain((length) => digitsOf(length - prefix.length - 1).map((body) => withCheckDigit(prefix + body))),
  );
const randomCard = fc.integer({ min: 13, max: 19 }).chain((length) => digitsOf(length - 1).map(withCheckDigit));
const cardDigits = fc.oneof(realisticCard, randomCard);

/** Digits as read out: together, or in groups (4s, or random sizes) with spaces or dashes. */
const grouped = (digits: fc.Arbitrary<string>) =>
  fc
    .record({
      digits,
      separator: fc.constantFrom('', ' ', '-'),
      sizes: fc.oneof(fc.constant([4]), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 })),
    })
    .map(({ digits, separator, sizes }) => {
      const groups: string[] = [];
      for (let i = 0, k = 0; i < digits.length; k++) {
        groups.push(digits.slice(i, i + sizes[k % sizes.length]!));
        i += sizes[k % sizes.length]!;
      }
      return groups.join(separator);
    });

const validSsn = fc
  .record({
    area: fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666),
    group: fc.integer({ min: 1, max: 99 }),
    serial: fc.integer({ min: 1, max: 9999 }),
    separator: fc.constantFrom('-', ' '),
  })
  .map(({ area, group, serial, separator }) =>
    [String(area).padStart(3, '0'), String(group).padStart(2, '0'), String(serial).padStart(4, '0')].join(separator),
  );

type SsnPart = 'area' | 'group' | 'serial';

/** A random SSN with one of its parts made invalid: area 000, 666 or 9xx, group 00 or serial 0000. */
const invalidSsn = fc
  .record({
    area: fc.integer({ min: 0, max: 999 }),
    group: fc.integer({ min: 0, max: 99 }),
    serial: fc.integer({ min: 0, max: 9999 }),
    broken: fc.oneof(
      fc.constantFrom<[SsnPart, number]>(['area', 0], ['area', 666], ['group', 0], ['serial', 0]),
      fc.integer({ min: 900, max: 999 }).map((a): [SsnPart, number] => ['area', a]),
    ),
    separator: fc.constantFrom('-', ' '),
  })
  .map(({ broken: [part, value], separator, ...ssn }) => {
    const parts: Record<SsnPart, number> = { ...ssn };
    parts[part] = value;
    return [String(parts.area).padStart(3, '0'), String(parts.group).padStart(2, '0'), String(parts.serial).padStart(4, '0')].join(separator);
  });

const ibanCountries: [country: string, length: number][] = [
  ['GB', 22],
  ['DE', 22],
  ['FR', 27],
  ['NL', 18],
  ['BE', 16],
  ['NO', 15],
  ['ES', 24],
  ['IT', 27],
  ['CH', 21],
  ['PL', 28],
  ['MT', 31],
  ['LC', 32],
  ['RU', 33],
];
const alphanumeric = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
/** A valid IBAN: a country and its length, a random BBAN, the check digits that make mod-97 come to 1. */
const ibanCompact = fc
  .constantFrom(...ibanCountries)
  .chain(([country, length]) => fc.array(alphanumeric, { minLength: length - 4, maxLength: length - 4 }).map((bban) => ({ country, bban: bban.join('') })))
  .map(({ country, bban }) => `${country}${String(98 - mod97(`${country}00${bban}`)).padStart(2, '0')}${bban}`);
const ibanWritten = (compact: fc.Arbitrary<string>) =>
  fc
    .record({ compact, spaced: fc.boolean() })
    .map(({ compact, spaced }) => (spaced ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact))
    .chain((iban) => fc.constantFrom(iban, iban.toLowerCase()));

describe('redactPii', () => {
  it('redacts Luhn-valid card numbers, e-mails and phone numbers, and keeps order numbers and invalid cards', () => {
    expect(redactPii('card 4242-4242-4242-4242 ok')).toBe('card [card] ok');
    expect(redactPii('mail a.b+c@example.co.uk now')).toBe('mail [email] now');
    expect(redactPii('call 555 123 4567')).toBe('call [phone]');
    expect(redactPii('order 12345 for 3 items')).toBe('order 12345 for 3 items');
    expect(redactPii('nothing to see')).toBe('nothing to see');
  });

  it.each([
    ['4242 4242 4242 4242', '[card]'],
    ['4242-4242-4242-4242', '[card]'],
    ['4242424242424242', '[card]'],
    ['4 2 4 2 4 2 4 2 4 2 4 2 4 2 4 2', '[card]'],
    ['42424 24242 424242', '[card]'],
    ['amex 3782 822463 10005 please', 'amex [card] please'],
    ['old visa 4222222222222', 'old visa [card]'],
    ['6011 1234 5678 9012 348 is the long one', '[card] is the long one'],
    ['4242 4242 4242 4242 123', '[card] 123'],
    ['visa 4242 4242 4242 4242 555 123 4567', 'visa [card] [phone]'],
    ['two: 4111 1111 1111 1111 5555 5555 5555 4444', 'two: [card] [card]'],
    ["It's 4111 1111 1111 1111.", "It's [card]."],
  ])('redacts the card in %j', (text, expected) => {
    expect(redactPii(text)).toBe(expected);
  });

  it.each([
    ['my ssn is 123-45-6789', 'my ssn is [ssn]'],
    ['123 45 6789', '[ssn]'],
    ['SSN: 078-05-1120.', 'SSN: [ssn].'],
    ['my social is 123456789', 'my social is [ssn]'],
    ['social security number 123 456 789, thanks', 'social security number [ssn], thanks'],
    ['123456789 is my social', '[ssn] is my social'],
    ['ssn 123-45-6789 and phone 555-123-4567', 'ssn [ssn] and phone [phone]'],
  ])('redacts the SSN in %j', (text, expected) => {
    expect(redactPii(text)).toBe(expected);
  });

  it.each([
    ['my iban is GB29 NWBK 6016 1331 9268 19, thanks', 'my iban is [iban], thanks'],
    ['DE89 3704 0044 0532 0130 00', '[iban]'],
    ['de89370400440532013000', '[iban]'],
    ['FR14 2004 1010 0505 0001 3M02 606 please', '[iban] please'],
    ['NL91ABNA0417164300 and BE68 5390 0754 7034', '[iban] and [iban]'],
    ['NO93 8601 1117 947 was it', '[iban] was it'],
    ['MT84 MALT 0110 0001 2345 MTLC AST0 01S', '[iban]'],
    ['GB29 NWBK 6016 1331 9268 19 DE89 3704 0044 0532 0130 00', '[iban] [iban]'],
  ])('redacts the IBAN in %j', (text, expected) => {
    expect(redactPii(text)).toBe(expected);
  });

  it.each([
    ['my visa is 4242 4242 4242 4242, cvv 123, expires 04/27', 'my visa is [card], cvv [cvv], expires [expiry]'],
    ['card number 4242-4242-4242-4242 and the three digits on the back are 456', 'card number [card] and the three digits on the back are [cvv]'],
    ['the security code on my debit card is 7890', 'the security code on my debit card is [cvv]'],
    ['amex 3782 822463 10005 cvv 1234 exp 12/2029', 'amex [card] cvv [cvv] exp [expiry]'],
    ['the card expires April 2027', 'the card expires [expiry]'],
    ["card ending 4242, good thru Apr '27", 'card ending 4242, good thru [expiry]'],
    ['my credit card, expiry date is 0427', 'my credit card, expiry date is [expiry]'],
    ['mastercard valid thru 04 27 and the 3 digit code is 9 8 1', 'mastercard valid thru [expiry] and the 3 digit code is [cvv]'],
    ['card expiry 04-2027', 'card expiry [expiry]'],
    ['my card, 04/27', 'my card, [expiry]'],
    ['[card] expiring 11/26, security code 321', '[card] expiring [expiry], security code [cvv]'],
    ['the cvv for [card] is 123', 'the cvv for [card] is [cvv]'],
    ['card security code 123, 456', 'card security code [cvv], 456'],
    [
      "I'll pay by card. It's a Visa ending 9012, expiry August twenty-seven, security code 331.",
      "I'll pay by card. It's a Visa ending 9012, expiry August twenty-seven, security code [cvv].",
    ],
  ])('redacts the CVV and expiry after a card mention in %j', (text, expected) => {
    expect(redactPii(text)).toBe(expected);
  });

  it.each([
    // No card mention.
    'the security code is 123',
    'my passport expires April 2027',
    'see you 04/27',
    'the code on the back is 123',
    // A card mention, but dates, times, order numbers, quantities and prices.
    'my card was charged on 12/03 at 10:30 for $12.99',
    'I paid by card on 12/03/2025',
    'debit card, order 123456, 3 items at $45.00',
    'credit card payment of 250 on the 3rd',
    'card ending 4242, it expired last week',
    'visa, the security code costs $1.99',
    // The code comes before the mention.
    'security code 123, which card?',
    // Not a whole 3–4-digit number.
    'card, cvv 123 4567',
    'card, security code 12',
  ])('keeps %j', (text) => {
    expect(redactPii(text)).toBe(text);
  });

  it.each([
    'order 12345678',
    'order 123456',
    'ticket 4471-22',
    'at 10:30',
    'at 9.45',
    'on 12/03/2025',
    'on 12.03.2025 or 2025-03-12',
    '$1,250.00',
    'the 1 250 000 figure',
    '3 items for £45.99',
    'Tracking 1SR88320117 says delivered',
    'reference SN-20931877',
    '1234 5678 9012 3456',
    '1234567890123456',
    '4111 2233 4455 6677',
    '4 5 3 2 0 1 8 8 7 7 6 1 0 0 4 2',
    '123456789',
    '000-12-3456',
    '666-12-3456',
    '900-12-3456',
    '999 12 3456',
    '123-00-4567',
    '123-45-0000',
    'my social is 666123456',
    'GB29 NWBK 6016 1331 9268 18',
    'GB30 NWBK 6016 1331 9268 19',
    'XX29 NWBK 6016 1331 9268 19',
    'DE89 3704 0044 0532 0130 0',
    'postcode AB12 3CD and 2 more things',
    'code 123456',
  ])('keeps %j unchanged', (text) => {
    expect(redactPii(text)).toBe(text);
  });

  it('takes Luhn-valid card numbers in any grouping, and nothing else of the sentence', () => {
    fc.assert(
      fc.property(embedded(grouped(cardDigits), ['card', 'my card is', "it's", 'number', 'visa', 'um']), (p) => {
        const out = redactPii(p.text);
        expect(cardsIn(out)).toEqual([]);
        expect(out).toBe(p.placed('[card]'));
      }),
      { numRuns: 500 },
    );
  });

  it('takes valid SSNs, and nothing else of the sentence', () => {
    fc.assert(
      fc.property(embedded(validSsn, ['ssn', 'my ssn is', "it's", 'number', 'um']), (p) => {
        const out = redactPii(p.text);
        expect(ssnsIn(out)).toEqual([]);
        expect(out).toBe(p.placed('[ssn]'));
      }),
      { numRuns: 300 },
    );
  });

  it('takes mod-97-valid IBANs with or without spaces, in either case, and nothing else of the sentence', () => {
    fc.assert(
      fc.property(embedded(ibanWritten(ibanCompact), ['iban', 'my iban is', "it's", 'to', 'account']), (p) => {
        const out = redactPii(p.text);
        expect(ibansIn(out)).toEqual([]);
        expect(out).toBe(p.placed('[iban]'));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps non-Luhn 16-digit numbers, whole or in fours', () => {
    const nonLuhn = digitsOf(16).filter((d) => !luhn(d));
    const written = fc
      .record({ digits: nonLuhn, separator: fc.constantFrom('', ' ', '-') })
      .map(({ digits, separator }) => digits.replace(/(\d{4})(?=\d)/g, `$1${separator}`));
    fc.assert(
      fc.property(embedded(written, ['order', 'number', 'reference', "it's"]), (p) => {
        expect(redactPii(p.text)).toBe(p.text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps SSN-shaped numbers that break the SSN rules', () => {
    fc.assert(
      fc.property(embedded(invalidSsn, ['ssn', 'number', "it's"]), (p) => {
        expect(redactPii(p.text)).toBe(p.text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps order numbers, times, prices and dates without a card mention', () => {
    const ordinary = fc.oneof(
      fc.integer({ min: 10_000, max: 999_999_999 }).map((n) => `order ${n}`),
      fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) }).map(({ h, m }) => `at ${h}:${String(m).padStart(2, '0')}`),
      fc.integer({ min: 0, max: 99_999_999 }).map((cents) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`),
      fc
        .record({ d: fc.integer({ min: 1, max: 28 }), m: fc.integer({ min: 1, max: 12 }), y: fc.integer({ min: 1950, max: 2030 }) })
        .map(({ d, m, y }) => `on ${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`),
    );
    fc.assert(
      fc.property(embedded(ordinary, ['it was', 'so', 'and']), (p) => {
        expect(redactPii(p.text)).toBe(p.text);
      }),
      { numRuns: 300 },
    );
  });

  it('gives an IBAN with a wrong check digit no [iban]', () => {
    const corrupted = ibanCompact.chain((iban) =>
      fc.integer({ min: 1, max: 9 }).map((delta) => `${iban.slice(0, 3)}${(Number(iban[3]) + delta) % 10}${iban.slice(4)}`),
    );
    fc.assert(
      fc.property(embedded(ibanWritten(corrupted), ['iban', "it's"]), (p) => {
        expect(redactPii(p.text)).not.toContain('[iban]');
      }),
      { numRuns: 300 },
    );
  });

  it('redacts to a fixed point: redacting twice changes nothing', () => {
    const fragment = fc.oneof(
      grouped(cardDigits),
      validSsn,
      invalidSsn,
      ibanWritten(ibanCompact),
      digitsOf(9),
      fc.integer({ min: 0, max: 99_999 }).map(String),
      fc.constantFrom('card', 'visa', 'cvv', 'security code', 'expires', 'exp', 'my social is', 'ssn', 'April', '04/27', '12/2029', '[card]', '[ssn]'),
      fc.constantFrom('call', '+1', '(212)', '555-0123', 'a.b@example.com', '@', 'GB29', 'NWBK', '10:30', '$1,250.00', '-', 'on', 'the', 'is'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fragment, fc.constantFrom(' ', '', '-', ', ', '. ', '/')), { maxLength: 12 }), (parts) => {
        const text = parts.map(([f, s]) => f + s).join('');
        const once = redactPii(text);
        expect(redactPii(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
