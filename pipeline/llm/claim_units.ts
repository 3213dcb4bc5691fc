/**
 * What the grounding check compares: a sentence cut into clauses, and each
 * clause read as its content terms, its numbers and quantities, and its
 * qualifiers — the words that change what a fact means (comparison: over,
 * under, after, before, until, within; scope: only, unless, except, if,
 * all; modality: may, can, must, will; negation; and claims of an action
 * or a status: "has shipped", "we refunded", "your order is cancelled").
 * Each qualifier keeps the terms and numbers it qualifies (its anchor), so
 * "over $50" and "under $50" differ, and so do "before 2 pm" and "after 2 pm".
 * @module
 */
import { stem } from "../knowledge/tokenize.ts";
import { digitsForWords, quantities } from "./quantities.ts";

/** Kinds of qualifier. */
export type QualifierKind =
  | "not"
  | "gt"
  | "lt"
  | "min"
  | "after"
  | "before"
  | "within"
  | "only"
  | "except"
  | "cond"
  | "may"
  | "can"
  | "must"
  | "will"
  | "all"
  | "perfect"
  | "status"
  | "past"
  | "restrict";

/** One qualifier of a clause and what it qualifies. */
export interface Qualifier {
  kind: QualifierKind;
  /** The content terms and numbers it qualifies (up to the clause end for a negation). */
  anchor: Set<string>;
  /** For `will`: the verb right after it, stemmed (or ""). */
  verb: string;
  /** The word just before the cue ("we" in "we can"). */
  after: string;
}

/** A clause read for the check. */
export interface ClaimUnit {
  text: string;
  /** Content terms, stemmed (no function, courtesy or qualifier words). */
  terms: Set<string>;
  /** Bare numbers ("5.95", "30"). */
  numbers: Set<string>;
  /** Quantities with their unit ("$5.95", "5-10 business day"). */
  quantities: Set<string>;
  qualifiers: Qualifier[];
  /** Stems of the verbs right after "we" ("we email you" → "email"). */
  weVerbs: Set<string>;
}

/** Words that carry no fact of their own. */
const FUNCTION_WORDS = new Set(
  (
    "a an the and or nor of to for from in on at by with as is are was were be been being am " +
    "do does did doing it its this that these those there here we us our ours you your yours " +
    "they them their theirs i me my he she his her him which who whom whose what where how why " +
    "than then so such just too very both either per via into onto out up down about also still " +
    "instead however additionally simply again further while whereas because since though although " +
    "yourself yourselves ourselves itself themselves let lets s t but yet has have had having would"
  ).split(" "),
);
/** Courtesy words a rewrite may add; they never stand for a fact. */
const COURTESY = new Set(
  (
    "sorry unfortunately please note kindly thank thanks yes certainly sure course glad happy " +
    "pleased help assist welcome hope"
  ).split(" "),
);
/** Light verbs a paraphrase may swap in ("comes with", "takes"). */
const LIGHT = new Set(
  "come comes take takes taking get gets make makes made".split(" "),
);
/** Paraphrase pairs folded onto one word. */
const SAME: Record<string, string> = { show: "appear", shows: "appear" };
/** Verbs after which a subject ends (for a clause that borrows it). */
const VERBISH = new Set(
  (
    "is are was were be can cannot could will would may might must should has have had cost costs " +
    "take takes deliver delivers arrive arrives do does go goes get gets need needs offer offers " +
    "accept accepts ship ships keep keeps last lasts require requires"
  ).split(" "),
);
const PRONOUN_START = /^(it|they|this|these|those)\b\s*/i;
const CONDITIONAL_START =
  /^\s*(if|when|whenever|once|unless|as long as|provided)\b/i;
const PARTICIPLE_IRREGULAR = new Set(
  "sent paid left made done gone taken given put set kept sold bought lost found got gotten told been seen"
    .split(" "),
);
/** Words after which "that" opens what is said, not a restriction. */
const NOT_RESTRICTING = new Set(
  "note guarantee ensure say says mean means know check confirm recommend require requires so such"
    .split(" "),
);
const NOT_WORDS = new Set(
  "not no never none nothing nobody neither nor cannot without unable".split(
    " ",
  ),
);

/** Cue phrases, longest first: [words, kind]. */
const CUES: Array<[string[], QualifierKind]> = (
  [
    ["no more than", "within"],
    ["no later than", "before"],
    ["more than", "gt"],
    ["older than", "gt"],
    ["longer than", "gt"],
    ["later than", "gt"],
    ["greater than", "gt"],
    ["less than", "lt"],
    ["fewer than", "lt"],
    ["newer than", "lt"],
    ["younger than", "lt"],
    ["shorter than", "lt"],
    ["earlier than", "lt"],
    ["at least", "min"],
    ["or more", "min"],
    ["at most", "within"],
    ["up to", "within"],
    ["prior to", "before"],
    ["other than", "except"],
    ["apart from", "except"],
    ["as long as", "cond"],
    ["provided that", "cond"],
    ["have to", "must"],
    ["has to", "must"],
    ["need to", "must"],
    ["needs to", "must"],
    ["happy to", "will"],
    ["glad to", "will"],
    ["pleased to", "will"],
    ["willing to", "will"],
    ["going to", "will"],
    ["able to", "can"],
  ] as Array<[string, QualifierKind]>
).map(([p, k]) => [p.split(" "), k]);
const WORD_CUES: Record<string, QualifierKind> = {
  after: "after",
  before: "before",
  until: "before",
  till: "before",
  within: "within",
  only: "only",
  solely: "only",
  exclusively: "only",
  unless: "except",
  other: "except",
  except: "except",
  excluding: "except",
  if: "cond",
  when: "cond",
  whenever: "cond",
  once: "cond",
  may: "may",
  might: "may",
  could: "may",
  usually: "may",
  often: "may",
  sometimes: "may",
  possibly: "may",
  perhaps: "may",
  can: "can",
  possible: "can",
  allowed: "can",
  must: "must",
  should: "must",
  required: "must",
  mandatory: "must",
  will: "will",
  shall: "will",
  all: "all",
  every: "all",
  each: "all",
  any: "all",
  always: "all",
  whole: "all",
  entire: "all",
  everything: "all",
};
/** Cue words that compare only when a number follows ("over $50", not "over weekends"). */
const NUMBER_CUES: Record<string, QualifierKind> = {
  over: "gt",
  above: "gt",
  exceeding: "gt",
  under: "lt",
  below: "lt",
};

/** Words of a text with contractions spelled out and links removed. */
export function rawWords(text: string): string[] {
  const t = digitsForWords(text)
    .replace(/\bhttps?:\/\/\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi, " ")
    .replace(/\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/\S*)?/gi, " ")
    .replace(/\bcan['’]t\b/gi, "cannot")
    .replace(/\bwon['’]t\b/gi, "will not")
    .replace(/n['’]t\b/gi, " not")
    .replace(/['’]ll\b/gi, " will")
    .replace(/['’]ve\b/gi, " have")
    .replace(/['’]re\b/gi, " are")
    .replace(/['’]m\b/gi, " am")
    .replace(/['’]s\b/gi, "")
    .toLowerCase();
  return t.match(/[$€£]?\d+(?:[.,:]\d+)*|\p{L}+/gu) ?? [];
}

const isNumber = (w: string) => /\d/.test(w);
const normalNumber = (w: string) =>
  w.replace(/^[$€£]/, "").replace(/(\d),(?=\d{3}\b)/g, "$1");

/** A word's term (stemmed), or null when it carries no fact. */
function termOf(w: string): string | null {
  if (isNumber(w)) return normalNumber(w);
  if (
    w.length < 2 || FUNCTION_WORDS.has(w) || COURTESY.has(w) || LIGHT.has(w)
  ) return null;
  return stem(SAME[w] ?? w);
}

function isParticiple(w: string | undefined): boolean {
  return !!w && (/^\p{L}{3,}(ed|en)$/u.test(w) || PARTICIPLE_IRREGULAR.has(w));
}

/** Reads one clause (see the module doc); `allowed` words are not terms. */
export function readClause(
  text: string,
  allowed: Set<string> = new Set(),
): ClaimUnit {
  const ws = rawWords(text);
  const terms = new Set<string>();
  const numbers = new Set<string>();
  const weVerbs = new Set<string>();
  const qualifiers: Qualifier[] = [];
  const cueAt = new Map<number, QualifierKind>();
  const skip = new Set<number>();
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const phrase = CUES.find(([p]) => p.every((x, j) => ws[i + j] === x));
    if (phrase) {
      cueAt.set(i, phrase[1]);
      for (let j = 0; j < phrase[0].length; j++) skip.add(i + j);
      i += phrase[0].length - 1;
      continue;
    }
    if (NOT_WORDS.has(w)) {
      cueAt.set(i, "not");
      skip.add(i);
    } else if (w === "after" && !/\d/.test(ws.slice(i + 1, i + 3).join(" "))) {
      // "after we approve it" is a condition like "once"; "after 30 days" compares.
      cueAt.set(i, "cond");
      skip.add(i);
    } else if (WORD_CUES[w]) {
      cueAt.set(i, WORD_CUES[w]);
      skip.add(i);
    } else if (NUMBER_CUES[w] && isNumber(ws[i + 1] ?? "")) {
      cueAt.set(i, NUMBER_CUES[w]);
      skip.add(i);
    } else if (
      (w === "that" || w === "which" || w === "who") && i > 0 &&
      termOf(ws[i - 1]!) !== null && !isNumber(ws[i - 1]!) &&
      !NOT_RESTRICTING.has(ws[i - 1]!)
    ) {
      // "items that arrive damaged": the fact holds for those items only.
      cueAt.set(i, "restrict");
    } else if (w === "has" || w === "have" || w === "had") {
      // "has shipped", "have already been refunded" (not "has a warranty").
      let j = i + 1;
      while (["already", "now", "just", "been", "not"].includes(ws[j] ?? "")) {
        j++;
      }
      if (isParticiple(ws[j])) cueAt.set(i, "perfect");
    } else if (
      (w === "is" || w === "are" || w === "was" || w === "were") &&
      (["already", "now"].includes(ws[i + 1] ?? "") ||
        (ws.slice(Math.max(0, i - 3), i).includes("your") &&
          isParticiple(ws[i + 1])))
    ) {
      cueAt.set(i, "status");
    } else if (
      (w === "we" || w === "i") && ws[i + 1] &&
      /^\p{L}{3,}ed$/u.test(ws[i + 1]!) &&
      ws[i + 1] !== "need"
    ) {
      cueAt.set(i, "past");
    }
    if (w === "we" && ws[i + 1] && !isNumber(ws[i + 1]!)) {
      const v = termOf(ws[i + 1]!);
      if (v) weVerbs.add(v);
    }
  }
  ws.forEach((w, i) => {
    if (skip.has(i) || allowed.has(w)) return;
    const t = termOf(w);
    if (t === null) return;
    if (isNumber(w)) numbers.add(t);
    else terms.add(t);
  });
  const conditions = [...cueAt].filter(([, k]) => k === "cond").map(([i]) => i);
  for (const [i, kind] of cueAt) {
    // "once your refund is approved" supposes a status, it does not claim it.
    if (
      (kind === "perfect" || kind === "status" || kind === "past") &&
      conditions.some((c) => c < i && i - c <= 6)
    ) continue;
    const anchor = new Set<string>();
    let verb = "";
    const limit = kind === "not" ? Infinity : 3;
    for (let j = i + 1; j < ws.length && anchor.size < limit; j++) {
      const w = ws[j]!;
      if (kind === "not" && (w === "but" || w === "however")) break;
      if (skip.has(j) || allowed.has(w)) continue;
      const t = termOf(w);
      if (t === null) continue;
      if (!verb && !isNumber(w)) verb = t;
      anchor.add(t);
    }
    qualifiers.push({ kind, anchor, verb, after: ws[i - 1] ?? "" });
  }
  return {
    text,
    terms,
    numbers,
    quantities: new Set(quantities(text)),
    qualifiers,
    weVerbs,
  };
}

/** The subject of a clause: its words before the first verb-like word. */
function subjectOf(clause: string): string {
  const words = clause.trim().split(/\s+/);
  const at = words.findIndex((w) => VERBISH.has(w.toLowerCase()));
  return at > 0 ? words.slice(0, at).join(" ") : "";
}

/** Hard clause breaks: a semicolon or colon, and "but". */
const HARD_SPLIT = /\s*[;:]\s+|,?\s+but\s+/i;
/** Soft breaks: ", and" / ", while" …, or " and" before a verb. */
const SOFT_SPLIT =
  /,\s+(?:and|so|while|whereas)\s+|\s+and\s+(?=(?:is|are|was|were|can|cannot|will|takes?|arrives?|costs?|has|have|does|do)\b)/i;

function hasVerb(text: string): boolean {
  return text.split(/\s+/).some((w) => VERBISH.has(w.toLowerCase()));
}

/** Splits at soft breaks only where the part after is a clause (has a verb), not a list item. */
function softSplit(text: string): string[] {
  const parts = text.split(SOFT_SPLIT);
  const out: string[] = [];
  for (const p of parts) {
    if (out.length > 0 && !hasVerb(p)) out[out.length - 1] += `, and ${p}`;
    else out.push(p);
  }
  return out;
}

/** A clause; `asWritten` is set when it opened with a pronoun that was replaced by a subject. */
export interface Clause {
  text: string;
  asWritten?: string;
}

/**
 * The clauses of a sentence. A sentence that opens with a condition ("If
 * …", "Once …") stays whole, since the condition holds for all of it. A
 * clause that opens with a pronoun or a verb takes the subject of the
 * clause before ("… and is free over $50" → "Standard shipping is free
 * over $50"), so a subject cannot be swapped behind "it".
 */
export function clausesOf(sentence: string): Clause[] {
  const s = sentence.trim().replace(/[.!?]+$/, "");
  const hard = s.split(HARD_SPLIT);
  const parts = CONDITIONAL_START.test(s) ? hard : hard.flatMap(softSplit);
  const out: Clause[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (!/\p{L}/u.test(p)) continue;
    const prev = out[out.length - 1]?.text;
    const first = p.split(/\s+/)[0]!.toLowerCase();
    const subj = prev ? subjectOf(prev) : "";
    if (subj && PRONOUN_START.test(p)) {
      out.push({ text: p.replace(PRONOUN_START, `${subj} `), asWritten: p });
    } else if (subj && VERBISH.has(first)) {
      out.push({ text: `${subj} ${p}` });
    } else {
      out.push({ text: p });
    }
  }
  return out;
}
