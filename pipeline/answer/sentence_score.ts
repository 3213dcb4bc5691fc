/**
 * Scores knowledge-base sentences against one ask: the ask's content words
 * the sentence holds, its section heading, the kind of value the ask wants
 * ("how long" wants a duration, "how much" an amount, "what time" a clock
 * time) and, more weakly, the words of the email around the ask.
 * @module
 */
import { tokenize } from "../knowledge/tokenize.ts";
import type { Semantics } from "../ports.ts";
import { splitSentences } from "./asks.ts";
import { askQuantities, type Quantity, quantityFit } from "./quantity_fit.ts";

/** What kind of value an ask wants, read from its question words. */
export interface AskWants {
  duration: boolean;
  amount: boolean;
  clock: boolean;
  /** "How do I …?" wants the steps. */
  steps: boolean;
  /** "When …?": a time or a duration helps a little. */
  when: boolean;
}

/** An ask read for scoring: its terms, context terms and wanted value. */
export interface AskProfile {
  terms: Set<string>;
  context: Set<string>;
  wants: AskWants;
  /** Heights, weights … the ask gives ("176 cm"). */
  quantities: Quantity[];
  /** The ask's text, for the word-vector comparison. */
  query: string;
  /** The ask as written (question phrases kept). */
  text: string;
  /** Word vectors, when loaded: a sentence holding close words counts too. */
  semantics: Semantics | null;
}

/** A sentence of a section with its score for an ask. */
export interface ScoredSentence {
  s: string;
  i: number;
  /** Ask terms the sentence itself holds. */
  own: number;
  /** Score of the sentence alone (terms, context, wanted value). */
  sentence: number;
  /** Compares sections: terms, context, wanted value and heading credit. */
  score: number;
  /** Soft word coverage of the ask by the sentence (0 without vectors). */
  soft: number;
  /** +1 a range of the sentence holds the asked value, -1 none does, 0 n/a. */
  quantity: number;
  /** `wantedValue` of the sentence: 1 it holds the kind of value asked for. */
  value: number;
}

const DURATION_ASK =
  /\bhow\s+(long|soon|quickly|fast)\b|\bhow\s+(much|many)\s+(days?|weeks?|hours?|years?|time)\b|\buntil when\b|\bexpir|\bvalid\b|\bdeadline\b/i;
const AMOUNT_ASK =
  /\bhow\s+much\b|\bcosts?\b|\bprices?\b|\bfees?\b|\bfree\b|\bpays?\b|\bamounts?\b|\bpercent/i;
const CLOCK_ASK = /\bwhat\s+time\b|\buntil\s+when\b|\bhours\b/i;
const STEPS_ASK = /\bhow\s+(do|can|should|could)\s+(i|we)\b|\bhow\s+to\b/i;
/** "When …?" wants a time or a duration. */
const WHEN_ASK = /\bwhen\b/i;

const DURATION =
  /\b(\d+|one|two|three|four|five|six|seven|ten|twelve)(\s+to\s+\d+)?\s+(business\s+)?(days?|weeks?|months?|hours?|years?|minutes?)\b|\bnext business day\b|\blifetime\b|\bfor life\b/i;
const AMOUNT =
  /[$£€]\s?\d|\d+%|\b\d+(?:[.,]\d+)?\s?(?:€|euros?|dollars?|usd|gbp|eur)\b|\bfree of charge\b/i;
const CLOCK = /\b\d{1,2}\s*(am|pm)\b/i;
/** An instruction: "To cancel, open Orders …", "select …", "reply to …". */
const STEPS =
  /^To \w+|\b(select|open|sign in|reply to|click|enter|send us|email us|write to us)/;

/** "how long" is folded to the term "days" by the tokenizer; a duration answers it. */
const PHRASE_DAYS = /\bhow\s+(long|soon|quickly|fast|many days)\b/i;

/**
 * The ask as compared by meaning: the question phrase ("how long", "how
 * much") says what kind of value is wanted (`wants`), not what about.
 */
export function meaningQuery(ask: string): string {
  return ask.replace(
    /\bhow\s+(long|much|many|soon|often|quickly|fast)\b|\bwhat\s+time\b/gi,
    " ",
  );
}

/** Reads the ask (and the email text around it) for scoring. */
export function askProfile(
  ask: string,
  contextText = "",
  semantics: Semantics | null = null,
): AskProfile {
  const terms = new Set(tokenize(ask));
  const wants = {
    duration: DURATION_ASK.test(ask),
    amount: AMOUNT_ASK.test(ask),
    clock: CLOCK_ASK.test(ask),
    steps: STEPS_ASK.test(ask),
    when: WHEN_ASK.test(ask),
  };
  if (PHRASE_DAYS.test(ask) && !/\bdays?\b/i.test(ask)) {
    for (const t of tokenize("days")) terms.delete(t);
  }
  // "What time …" asks for a clock time, not about "delivery times".
  if (/\bwhat\s+time\b/i.test(ask) && !/\btime\b.*\btime\b/i.test(ask)) {
    for (const t of tokenize("time")) terms.delete(t);
  }
  const context = new Set(tokenize(contextText).filter((t) => !terms.has(t)));
  return {
    terms,
    context,
    wants,
    quantities: askQuantities(`${ask} ${contextText}`),
    query: meaningQuery(ask),
    text: ask,
    semantics,
  };
}

const HEADING_CREDIT = 0.75;
/** Per ask term the heading holds: the section is about what was asked. */
const TOPIC_CREDIT = 0.25;
const CONTEXT_WEIGHT = 0.3;
const VALUE_BONUS = 1;
const STEPS_BONUS = 0.75;
const WHEN_BONUS = 0.5;
const FIRST_SENTENCE = 0.25;
/** Weight of the soft word coverage above `SOFT_FLOOR`, per unit of coverage. */
const SOFT_WEIGHT = 2;
/** Soft coverage any sentence reaches by sharing common words. */
const SOFT_FLOOR = 0.5;
/** A sentence this close in meaning is relevant without a shared term. */
export const SOFT_RELEVANT = 0.7;
/** A range that holds the asked height or weight is the answer. */
const QUANTITY_BONUS = 3;

/**
 * Whether `s` holds the kind of value the ask wants: 1 yes, -1 the ask wants
 * a duration, amount or clock time that `s` lacks, 0 the ask wants none.
 */
export function wantedValue(s: string, wants: AskWants): number {
  if (!wants.clock && !wants.duration && !wants.amount) return 0;
  return valueBonus(s, wants) >= VALUE_BONUS ? 1 : -1;
}

/** The value bonus: the sentence holds the kind of value the ask wants. */
function valueBonus(s: string, wants: AskWants): number {
  if (wants.clock && CLOCK.test(s)) return VALUE_BONUS;
  if (wants.duration && DURATION.test(s)) return VALUE_BONUS;
  if (wants.amount && AMOUNT.test(s)) return VALUE_BONUS;
  if (wants.when && (DURATION.test(s) || CLOCK.test(s))) return WHEN_BONUS;
  return 0;
}

/**
 * The sentences of a section, where a sentence ending in ":" and the list
 * lines under it ("supported on the following phones:" / "iPhone XS …") are
 * one sentence: the list is its answer.
 */
export function sectionSentences(text: string): string[] {
  return text.replace(/\r\n?/g, "\n").split(/\n\s*\n/).flatMap((para) => {
    const parts = splitSentences(para);
    const colon = parts.findIndex((p, i) =>
      p.endsWith(":") && i < parts.length - 1
    );
    if (colon < 0) return parts;
    return [...parts.slice(0, colon), parts.slice(colon).join(" ")];
  });
}

/** A section split into sentences and tokenized, as scoring reads it. */
interface ReadSection {
  headTerms: Set<string>;
  sentences: Array<{ s: string; terms: Set<string> }>;
}

/**
 * Sections read so far: the knowledge base changes only at a reindex, and
 * every email reads its top sections again. Cleared when it grows past this.
 */
const READ_LIMIT = 4_000;
const read = new Map<string, ReadSection>();

function readSection(text: string, heading: string): ReadSection {
  const key = `${heading}\u0000${text}`;
  let r = read.get(key);
  if (r) return r;
  r = {
    headTerms: new Set(tokenize(heading)),
    sentences: sectionSentences(text).filter((s) =>
      /[.!?]$/.test(s) || s.length > 20
    ).map((s) => ({ s, terms: new Set(tokenize(s)) })),
  };
  if (read.size >= READ_LIMIT) read.clear();
  read.set(key, r);
  return r;
}

/**
 * Scores every sentence of a section for the ask. `sentence` ranks the
 * sentences of one section; `score` compares sections: an ask term only the
 * heading holds counts for part, and instructions get no bonus there (every
 * "how to" section has them).
 */
export function scoreSentences(
  profile: AskProfile,
  sectionText: string,
  heading = "",
): ScoredSentence[] {
  const { headTerms, sentences } = readSection(sectionText, heading);
  let topic = 0;
  for (const t of profile.terms) if (headTerms.has(t)) topic += TOPIC_CREDIT;
  return sentences.map(({ s, terms }, i) => {
    let own = 0;
    let head = 0;
    for (const t of profile.terms) {
      if (terms.has(t)) own += 1;
      else if (headTerms.has(t)) head += HEADING_CREDIT;
    }
    let ctx = 0;
    for (const t of profile.context) {
      if (terms.has(t)) ctx += CONTEXT_WEIGHT;
      else if (headTerms.has(t)) head += HEADING_CREDIT * CONTEXT_WEIGHT;
    }
    const soft = profile.semantics
      ? profile.semantics.coverage(profile.query, s).mean
      : 0;
    const quantity = quantityFit(profile.quantities, s);
    const relevant = own + ctx > 0 || soft >= SOFT_RELEVANT;
    const bonus = relevant ? valueBonus(s, profile.wants) : 0;
    const steps = relevant && profile.wants.steps && STEPS.test(s)
      ? STEPS_BONUS
      : 0;
    const first = i === 0 && own > 0 ? FIRST_SENTENCE : 0;
    const base = own + ctx + bonus + first +
      SOFT_WEIGHT * Math.max(0, soft - SOFT_FLOOR) +
      QUANTITY_BONUS * quantity;
    return {
      s,
      i,
      own,
      sentence: base + steps,
      score: base + head + topic,
      soft,
      quantity,
      value: wantedValue(s, profile.wants),
    };
  });
}
