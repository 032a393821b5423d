/**
 * PII-looking strings in transcript text are replaced before storage by a typed placeholder — [card], [ssn],
 * [iban], [cvv], [expiry], [email], [phone] — so quality rules still see that an identifier was given, never which.
 *
 * It runs on every segment at ingest speed: text without a digit or an '@' returns at once, and no pattern nests
 * quantifiers (nothing backtracks on a long run of digits). Checksums and rules decide, not shapes alone, so
 * order numbers, times, prices and dates survive: cards pass Luhn, IBANs mod-97 and their country's length, SSNs
 * the SSA's rules (area not 000, 666 or 9xx, group not 00, serial not 0000). A number is taken whole or by whole
 * groups, never from the middle of a longer one.
 *
 * Order matters: e-mails first (their digits are not numbers), IBANs before cards (an IBAN's digits can pass Luhn),
 * cards and SSNs before phones (a phone pattern would take a spaced card or SSN). A CVV or an expiry is only
 * taken after a card mention in the same segment, which a [card] just produced counts as. The passes repeat until
 * nothing changes (a second pass is rare and cheap), so redacting twice gives what redacting once gave.
 */
const MAYBE_PII = /[\d@]/;
// Starts only where the local part starts, so a long word without an '@' is scanned once.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** A maximal run of digit groups joined by single spaces or dashes, as a card or an SSN is read out. */
const DIGIT_RUN = /(?<!\w)\d+(?:[ -]\d+)*/g;
const WORD_CHAR = /\w/;
// Where a run has Luhn-valid windows of several lengths, the commonest card lengths win (16 Visa and Mastercard,
// 15 Amex, 14 Diners), so a code or a phone number read right after the card keeps its own digits.
const CARD_LENGTHS: readonly number[] = [16, 15, 14, 19, 13, 18, 17];
// What says a bare nine-digit number is a social security number. ([ssn] counts, so a second pass agrees.)
const SSN_CONTEXT = /\bssns?\b|\bss ?#|\bsocial security\b|\b(?:my|your|his|her|their|the) social\b|\bsocial (?:is|number|no)\b/i;

/** IBAN lengths by country: the SWIFT registry (with the territories that use their country's format). */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 ' +
    'GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 ' +
    'MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 ' +
    'UA29 VA22 VG24 XK20 YE30 AX18 GG22 IM22 JE22 BL27 GF27 GP27 MF27 MQ27 NC27 PF27 PM27 RE27 TF27 WF27 YT27'
  )
    .split(' ')
    .map((entry): [string, number] => [entry.slice(0, 2), Number(entry.slice(2))]),
);
// Country, check digits, then the rest with or without single spaces (every four characters on paper, anywhere
// in speech). It may run into the next word; the country's length says where the IBAN ends.
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/gi;

// A card mention that lets a CVV or an expiry after it count. cvv/cvc name a card's code, so they count too;
// [card] is a mention.
const CARD_MENTION = /\b(?:cards?|visa|master ?card|amex|american express|credit|debit|cvv2?|cvc2?)\b/i;
// Between the words and the value: no digit, no full stop, no placeholder but [card] (so a second pass cannot step
// over a [cvv] to the next number). The words themselves are never read inside a placeholder ("[cvv]", "[expiry]").
const GAP = String.raw`(?:[^\d.!\n[]|\[card\])`;
// The words that introduce a card's security code, then the code: one whole run of 3 or 4 digits, not a price, a
// time or the start of a longer number.
const CVV_WORDS = String.raw`cvv2?|cvc2?|cvn|csc|cid|security (?:code|number|digits)|card (?:security|verification) code|verification (?:code|number|value)|(?:three|four|3|4)[ -]digits?(?: security)? code|(?:(?:three|four|3|4)[ -])?(?:digits?|numbers?|code) on the back`;
const CVV = new RegExp(String.raw`(?<!\[)\b(?:${CVV_WORDS})\b${GAP}{0,30}?(?<![$£€])(\d(?:[ -]?\d){2,3})(?![ .,:/-]?\d)`, 'gi');
const MONTH = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const MM = '(?:0?[1-9]|1[0-2])';
const EXPIRY_WORDS = 'exp(?:iry|iration|ires|ired|iring|s)?(?: date)?|valid (?:until|thru|through|till|to)|good (?:thru|through|until)';
// After an expiry word: 04/27, 04-2027, 04 27, 0427, April 2027, Apr '27.
const EXPIRY_STATED = new RegExp(
  String.raw`(?<!\[)\b(?:${EXPIRY_WORDS})\b\.?${GAP}{0,20}?(?<![$£€])(${MM}[/. -](?:20)?\d{2}|(?:0[1-9]|1[0-2])\d{2}|\b(?:${MONTH})\b\.?(?: of)?,? '?(?:20)?\d{2})(?![.,:/-]?\d)`,
  'gi',
);
// Without an expiry word only month/year with a slash or a dash counts, and not as a date ("on 12/03").
const EXPIRY_BARE = new RegExp(
  String.raw`(?<![\w/.-]|\d[ -]|\b(?:on|since|from|by|before|after|until|till|of|the) )${MM}[/-](?:20)?\d{2}(?![.,:/-]?\d|\w)`,
  'gi',
);

// A whole run only (not the tail of a card or an account number): country code, area (in brackets or not) and two
// groups, 8 to 15 digits. Digits with no separator at all are a phone from 10 digits (or after a '+'): shorter bare
// numbers are order and account numbers.
const PHONE = /(?<![\w+]|\d[ .-])(?:\+?\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]?\d{3,4}[ .-]?\d{3,4}(?![ .-]?\d|\w)/g;
const BARE_DIGITS = /^\d+$/;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Nine digits as the SSA issues them: area not 000, 666 or 900–999, group not 00, serial not 0000. */
function ssnValid(digits: string): boolean {
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** ISO 13616: the country's length, check digits 02–98, and the rearranged number mod 97 is 1. */
function ibanValid(iban: string): boolean {
  if (IBAN_LENGTHS.get(iban.slice(0, 2)) !== iban.length) return false;
  const check = Number(iban.slice(2, 4));
  if (check < 2 || check > 98) return false;
  let rest = 0;
  for (let i = 0; i < iban.length; i++) {
    const code = iban.charCodeAt((i + 4) % iban.length);
    rest = code <= 57 ? (rest * 10 + code - 48) % 97 : (rest * 100 + code - 55) % 97;
  }
  return rest === 1;
}

function redactIbans(text: string): string {
  let out = '';
  let copied = 0;
  IBAN_CANDIDATE.lastIndex = 0;
  for (let m = IBAN_CANDIDATE.exec(text); m !== null; m = IBAN_CANDIDATE.exec(text)) {
    const candidate = m[0].toUpperCase();
    const length = IBAN_LENGTHS.get(candidate.slice(0, 2));
    let end = -1;
    if (length !== undefined) {
      // The IBAN ends where its country's length is reached, at the end of a word.
      let compact = '';
      for (let i = 0; i < candidate.length && compact.length < length; i++) {
        if (candidate[i] !== ' ') compact += candidate[i];
        if (compact.length === length && !WORD_CHAR.test(text[m.index + i + 1] ?? '') && ibanValid(compact)) end = m.index + i + 1;
      }
    }
    if (end < 0) {
      IBAN_CANDIDATE.lastIndex = m.index + 1;
      continue;
    }
    out += `${text.slice(copied, m.index)}[iban]`;
    copied = end;
    IBAN_CANDIDATE.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Cards and SSNs in one run of digit groups, by whole groups from the left. A card is the rest of the run when it has
 * 13–19 digits and passes Luhn, or part of it read in groups of three or more ("4242 4242 4242 4242 123": a code read
 * straight after the card); a digit-by-digit reading is only taken whole, since one of its many windows would pass
 * Luhn by chance. Failing a card, groups of 3, 2 and 4 digits that pass the SSN rules are an SSN, and so are nine
 * digits together or in threes where the segment speaks of a social security number.
 */
function redactRun(run: string, letterAfter: boolean, ssnContext: boolean): string {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < run.length; i++) {
    starts.push(i);
    while (i < run.length && run.charCodeAt(i) <= 57 && run.charCodeAt(i) >= 48) i++;
    ends.push(i);
  }
  // A group that runs into a word ("…4242th") is not a number of its own.
  const usable = letterAfter ? starts.length - 1 : starts.length;
  const widths = (s: number, ...expected: number[]) => s + expected.length <= usable && expected.every((w, i) => ends[s + i]! - starts[s + i]! === w);
  const ssnAt = (s: number, groups: number) => ssnValid(run.slice(starts[s], ends[s + groups - 1]).replace(/\D/g, ''));
  let out = '';
  let copied = 0;
  let segment = 0;
  for (let s = 0; s < usable;) {
    let digits = '';
    let card = -1;
    let cardRank = Infinity;
    let grouped = true;
    for (let e = s; e < usable; e++) {
      digits += run.slice(starts[e], ends[e]);
      if (digits.length > 19) break;
      grouped &&= ends[e]! - starts[e]! >= 3;
      // All that is left of the run beats any part of it; then the commonest card lengths.
      const whole = s === segment && e === usable - 1;
      const rank = whole ? -1 : CARD_LENGTHS.indexOf(digits.length);
      if (digits.length >= 13 && (whole || grouped) && rank < cardRank && luhnValid(digits)) {
        card = e;
        cardRank = rank;
      }
    }
    let last = -1;
    let placeholder = '[ssn]';
    if (card >= 0) [last, placeholder] = [card, '[card]'];
    else if (widths(s, 3, 2, 4) && ssnAt(s, 3)) last = s + 2;
    else if (ssnContext && widths(s, 9) && ssnAt(s, 1)) last = s;
    else if (ssnContext && widths(s, 3, 3, 3) && ssnAt(s, 3)) last = s + 2;
    if (last < 0) {
      s++;
      continue;
    }
    out += run.slice(copied, starts[s]) + placeholder;
    copied = ends[last]!;
    s = segment = last + 1;
  }
  return copied === 0 ? run : out + run.slice(copied);
}

function redactRuns(text: string, ssnContext: boolean): string {
  return text.replace(DIGIT_RUN, (run: string, offset: number) =>
    // Fewer than nine characters hold fewer than nine digits: no card, no SSN.
    run.length < 9 ? run : redactRun(run, WORD_CHAR.test(text[offset + run.length] ?? ''), ssnContext),
  );
}

function redactCardDetails(text: string): string {
  const mention = CARD_MENTION.exec(text);
  if (mention === null) return text;
  // The code or the date must come after the mention; the words that introduce it may come before ("the security
  // code on my card is 123").
  const from = mention.index + mention[0].length;
  const replace = (placeholder: string) => (match: string, value: string, offset: number) =>
    offset + match.length - value.length < from ? match : `${match.slice(0, match.length - value.length)}${placeholder}`;
  return text
    .replace(CVV, replace('[cvv]'))
    .replace(EXPIRY_STATED, replace('[expiry]'))
    .replace(EXPIRY_BARE, (match: string, offset: number) => (offset < from ? match : '[expiry]'));
}

function redactOnce(text: string): string {
  let out = text.includes('@') ? text.replace(EMAIL, '[email]') : text;
  out = redactIbans(out);
  out = redactRuns(out, false);
  if (SSN_CONTEXT.test(out)) out = redactRuns(out, true);
  out = redactCardDetails(out);
  return out.replace(PHONE, (match: string) => (BARE_DIGITS.test(match) && match.length < 10 ? match : '[phone]'));
}

export function redactPii(text: string): string {
  if (!MAYBE_PII.test(text)) return text;
  // Every change removes digits or an '@', so this ends; it rarely takes a second pass.
  let out = redactOnce(text);
  while (out !== text && MAYBE_PII.test(out)) {
    text = out;
    out = redactOnce(text);
  }
  return out;
}
