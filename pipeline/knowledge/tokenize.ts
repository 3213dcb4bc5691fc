/**
 * The lexical tokenizer shared by BM25 retrieval and answer selection:
 * lower-case words, stop words removed, light suffix stemming and a few
 * shop synonyms folded onto one form.
 * @module
 */
import { PHRASES, SYNONYMS } from "./phrasebook.ts";

const STOP = new Set(
  (
    "a about above after again all also am an and any are as at be because been before being " +
    "below between both but by can could did do does doing don down during each few for from " +
    "further had has have having he her here hers herself him himself his how i if in into is it " +
    "its itself just let me more most my myself no nor not now of off on once only or other our " +
    "ours ourselves out over own same she should so some such than that the their theirs them " +
    "themselves then there these they this those through to too under until up very was we were " +
    "what when where which while who whom why will with would you your yours yourself yourselves " +
    "hi hello hey dear thanks thank please regards best cheers kind wondering wonder know tell " +
    "im ive id dont cant wont isnt doesnt didnt get got want wanted like need may might must shall " +
    "u ur pls plz thx yes ok okay really much many one ask asking asked " +
    "usually typically normally generally actually currently exactly approximately roughly " +
    "maybe perhaps possibly " +
    // Verbs and fillers that say little of what is asked ("do you take
    // Amex?", "is it possible to try one?").
    "take takes taking took give gives giving gave put try " +
    "able possible anything something anyone someone sure thing things use using"
  ).split(" "),
);

/** True for a word the tokenizer drops (greetings, pronouns, filler). */
export function isStopWord(w: string): boolean {
  return STOP.has(w);
}

/** Light suffix stemmer: plural, -ing, -ed, -ment, -ation, -ly, final e/y. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith("ies") && s.length > 4) s = s.slice(0, -3) + "y";
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (s.endsWith("s") && !s.endsWith("ss") && !s.endsWith("us")) {
    s = s.slice(0, -1);
  }
  for (const suf of ["ation", "ment", "ing", "ed", "ly"]) {
    if (s.endsWith(suf) && s.length - suf.length >= 3) {
      s = s.slice(0, -suf.length);
      if (/([bdglmnprt])\1$/.test(s)) s = s.slice(0, -1);
      break;
    }
  }
  if (s.length > 3 && s.endsWith("e")) s = s.slice(0, -1);
  if (s.length > 3 && /[^aeiou]y$/.test(s)) s = s.slice(0, -1);
  return s;
}

function phrases(s: string): string {
  let out = s;
  for (const [re, to] of PHRASES) out = out.replace(re, to);
  return out;
}

/** Raw lower-cased words (letters and digits), before stop words and stems. */
export function words(text: string): string[] {
  return phrases(text.toLowerCase()).replace(/['’]/g, "").match(
    /[\p{L}\p{N}]+/gu,
  ) ??
    [];
}

/** The index form of one word: its shop synonym, stemmed. */
export function canonical(w: string): string {
  return stem(SYNONYMS[w] ?? w);
}

/** Index terms of a text: words minus stop words, stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOP.has(w) || w.length < 2) continue;
    out.push(canonical(w));
  }
  return out;
}
