/**
 * The checkable details of a text: quantities (numbers with their unit,
 * amounts, percentages, ranges) and links (URLs, domains, email addresses),
 * each in a normal form so "5 to 10 business days" and "5–10 business day"
 * compare equal.
 * @module
 */

const NUMBER_WORDS: Record<string, string> = {
  zero: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  eleven: "11",
  twelve: "12",
  fourteen: "14",
  fifteen: "15",
  twenty: "20",
  thirty: "30",
  forty: "40",
  fifty: "50",
  sixty: "60",
  ninety: "90",
  hundred: "100",
};
const NUMBER_WORD = new RegExp(
  `\\b(${Object.keys(NUMBER_WORDS).join("|")})\\b`,
  "gi",
);

const NUM = String.raw`(?:[$€£]\s?)?\d+(?:[.,:]\d+)*`;
const UNIT = String
  .raw`(?:\s*%|\s*percent\b|\s+(?:(?:business|working|calendar)\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?)\b|\s*(?:usd|eur|gbp|dollars?|euros?|pounds?)\b|\s*(?:am|pm|a\.m\.|p\.m\.)(?![\p{L}])|\s+degrees?\b)`;
const QUANTITY = new RegExp(
  `${NUM}(?:\\s*(?:-|–|—|to)\\s*${NUM})?${UNIT}?`,
  "giu",
);

/** Number words ("thirty") as digits, so both spellings compare. */
export function digitsForWords(text: string): string {
  return text.replace(
    NUMBER_WORD,
    (w) => NUMBER_WORDS[w.toLowerCase()] ?? w,
  );
}

function normalQuantity(q: string): string {
  return q.toLowerCase()
    .replace(/(\d),(?=\d{3}\b)/g, "$1")
    .replace(/([$€£])\s+/g, "$1")
    .replace(/\s*(?:-|–|—|\bto\b)\s*/g, "-")
    .replace(/\s*(%|percent)/g, "%")
    .replace(
      /\b(day|week|month|year|hour|minute|dollar|euro|pound|degree)s\b/g,
      "$1",
    )
    .replace(/\b([ap])\.m\./g, "$1m")
    .replace(/\s+/g, " ")
    .trim();
}

/** The quantities of a text, normalised ("$5.95", "5-10 business day", "30 day", "14"). */
export function quantities(text: string): string[] {
  return (digitsForWords(text).match(QUANTITY) ?? []).map(normalQuantity);
}

/** The bare numbers of a text ("5.95", "10"), number words as digits. */
export function numbers(text: string): string[] {
  return (digitsForWords(text).match(/\d+(?:[.,:]\d+)*/g) ?? []).map((n) =>
    n.replace(/(\d),(?=\d{3}\b)/g, "$1")
  );
}

const LINKS = [
  /\bhttps?:\/\/[^\s<>()"']+/gi,
  /\bwww\.[^\s<>()"']+/gi,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[^\s<>()"']*)?/gi,
];

/** URLs, bare domains and email addresses of a text, lower-cased. */
export function links(text: string): string[] {
  const out = new Set<string>();
  for (const re of LINKS) {
    for (const m of text.match(re) ?? []) {
      const l = m.replace(/[.,;:!?)\]'"]+$/, "").toLowerCase();
      if (l) out.add(l);
    }
  }
  return [...out];
}
