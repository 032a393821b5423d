/**
 * PII-looking strings are replaced before a transcript is stored: card numbers (13–19
 * digits, spaced or dashed, Luhn-valid), email addresses and phone numbers. Kept simple
 * on purpose: it runs on every segment at ingest speed.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const PHONE = /(?:\+?\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]?\d{3,4}[ .-]?\d{3,4}\b/g;
const DIGIT = /\d/;

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

export function redactPii(text: string): string {
  if (!DIGIT.test(text) && !text.includes('@')) return text;
  return text
    .replace(EMAIL, '[email]')
    .replace(CARD, (match) => (luhnValid(match.replace(/[ -]/g, '')) ? '[card]' : match))
    .replace(PHONE, (match) => (match.replace(/\D/g, '').length >= 7 ? '[phone]' : match));
}
