/**
 * Grounded, extractive answers: each ask of the email is looked up in the
 * knowledge base, and the reply quotes the sentences that answer it. Every
 * ask must be answered: when one is not (`no_kb_match`), a person handles
 * the email, and the asks that were answered come back as a suggested
 * draft for that person.
 *
 * With word vectors (the retriever's `semantics`), whether an ask is
 * answered is the calibrated decision of `answerability.ts`; without them,
 * the idf-weighted share of the ask's terms the best section holds must
 * reach `answerThreshold`.
 * @module
 */
import type { RetrievedSection, Retriever, Semantics } from "../ports.ts";
import type { ParsedEmail } from "../types.ts";
import { tokenize } from "../knowledge/tokenize.ts";
import { sectionText } from "../knowledge/section_index.ts";
import { extractAsks, isAsk, splitSentences } from "./asks.ts";
import {
  ANSWER_MODEL,
  type AnswerFeatures,
  answerFeatures,
  answerProbability,
} from "./answerability.ts";
import { chooseSection, rankCandidates } from "./choose_section.ts";
import { renderAnswer } from "./answer_template.ts";
import { withoutRequestFrame } from "./request_frame.ts";
import { unaskedMishap } from "./trouble.ts";
import { askProfile, meaningQuery, SOFT_RELEVANT } from "./sentence_score.ts";
import {
  farNames,
  missingMeasures,
  missingNames,
  missingOfferings,
  namesIn,
  placesIn,
} from "./answer_type.ts";

/** Settings of `answerQuestion`. */
export interface AnswerConfig {
  /** Least idf-weighted share of an ask's terms the best section must hold (ANSWER_THRESHOLD). */
  answerThreshold: number;
  signature: string;
  shopName: string;
}

/** An answer, or why there is none. */
export type AnswerResult =
  | {
    ok: true;
    reply: string;
    sources: string[];
    confidence: number;
    /** The KB sentences quoted, one list per ask (the reply's facts). */
    paragraphs: string[][];
    /** Titles of the source documents, as listed in the reply. */
    sourceTitles: string[];
  }
  | {
    ok: false;
    reason: "no_kb_match";
    sources: string[];
    confidence: number;
    /**
     * When some asks were answered and others not: a draft answering those
     * that were, for the person who takes the email over.
     */
    suggestedReply?: string;
  };

/** Most asks answered in one reply; an email with more goes to a person. */
export const MAX_ASKS = 4;
const CANDIDATES = 5;
/** Sections read when choosing the one whose sentences answer best. */
const CHOICES = 8;
/** A one-term ask that this many sections fully match is too vague to answer. */
const VAGUE_MATCHES = 3;

/** Removes order ids, amounts and addresses so they do not count as unknown terms. */
export function askQuery(ask: string): string {
  return ask.replace(/\b[\w.+-]+@[\w.-]+\b/g, " ").replace(
    /\bORD[-_ ]?\d+\b/gi,
    " ",
  )
    .replace(/#?\d[\d,.]*/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * "Can you tell me about my order?": one common term matches many sections
 * equally; no section is the answer.
 */
function isVague(query: string, hits: { score: number }[]): boolean {
  return new Set(tokenize(query)).size < 2 &&
    hits.slice(0, CANDIDATES).filter((h) => h.score >= 0.999).length >=
      VAGUE_MATCHES;
}

/** What was decided for one ask (for fitting and reports; never logged). */
export interface AskTrace {
  ask: string;
  features: AnswerFeatures;
  probability: number;
  sectionId: string;
  sentences: string[];
}

/** What `answerQuestion` reads through. */
export interface AnswerDeps {
  retriever: Retriever;
  config: AnswerConfig;
  /** Called for each ask decided with word vectors. */
  onAsk?: (trace: AskTrace) => void;
}

/** One ask looked up: its chosen section and quoted sentences, if answered. */
interface AskLookup {
  query: string;
  hits: RetrievedSection[];
  /** The chosen section and sentences, or null when the ask is not answered. */
  answer: { hit: RetrievedSection; sentences: string[] } | null;
  /** Probability (vectors) or lexical coverage that the answer is right. */
  confidence: number;
}

/** Looks one ask up: its text, its search query and the email around it. */
async function lookUp(
  input: { ask: string; query: string; context: string },
  deps: AnswerDeps,
): Promise<AskLookup> {
  const { ask, query, context } = input;
  const semantics = deps.retriever.semantics ?? null;
  const hits = await deps.retriever.search(query, CHOICES);
  const vague = isVague(query, hits);
  // Meaning is read from the query (order ids, amounts, addresses removed).
  const profile = {
    ...askProfile(ask, context, semantics),
    query: meaningQuery(query),
  };
  if (semantics) {
    return decideWithVectors(
      { query, hits, vague, profile, context },
      { semantics, onAsk: deps.onAsk },
    );
  }
  const best = hits[0];
  if (!best || vague || best.score < deps.config.answerThreshold) {
    return {
      query,
      hits,
      answer: null,
      confidence: vague ? 0 : best?.score ?? 0,
    };
  }
  const choice = chooseSection(profile, hits, deps.config.answerThreshold) ??
    { hit: best, sentences: [] };
  return { query, hits, answer: choice, confidence: best.score };
}

/** The calibrated decision for one ask over its hits. */
function decideWithVectors(
  ask: {
    query: string;
    hits: RetrievedSection[];
    vague: boolean;
    profile: ReturnType<typeof askProfile>;
    context: string;
  },
  deps: { semantics: Semantics; onAsk: AnswerDeps["onAsk"] },
): AskLookup {
  const { query, hits, vague, profile } = ask;
  const { semantics, onAsk } = deps;
  const ranked = rankCandidates(profile, hits);
  const best = ranked[0];
  if (!best || best.sentences.length === 0) {
    return { query, hits, answer: null, confidence: 0 };
  }
  const next = ranked.find((c) => c.hit.id !== best.hit.id) ?? null;
  const features = answerFeatures(profile, best, next, {
    semantics,
    vague,
  });
  const p = answerProbability(features);
  onAsk?.({
    ask: query,
    features,
    probability: p,
    sectionId: best.hit.id,
    sentences: best.sentences,
  });
  const section = sectionText(best.hit);
  return {
    query,
    hits,
    // A height or weight that no range of the section holds is not
    // answered, nor an age or a rate the section never speaks of, nor a
    // "24 month plan" or a "New Year's Eve" the section never names, nor a
    // place or a model ("I live in Honolulu", "Galaxy A54") the section
    // neither names nor comes near in meaning, nor from a section on a
    // mishap ("Delivery problems") the email says nothing of.
    answer: p >= ANSWER_MODEL.threshold && features.quantity >= 0 &&
        missingMeasures(profile.text, best.hit.text).length === 0 &&
        missingOfferings(profile.text, best.hit.text).length === 0 &&
        missingNames(profile.text, section).length === 0 &&
        farNames(
            [...namesIn(profile.text), ...placesIn(ask.context)],
            section,
            (w, t) => semantics.coverage(w, t).min,
          ).length === 0 &&
        unaskedMishap(
            best.hit.heading,
            { ask: profile.text, context: ask.context },
            (w, t) => semantics.coverage(w, t).min,
          ) === null
      ? best
      : null,
    confidence: p,
  };
}

/**
 * True when the ask's own words, without the ask before it, are close in
 * meaning to the quoted sentences (soft coverage of at least
 * `SOFT_RELEVANT`); true without word vectors (the lexical default has no
 * soft coverage to read).
 */
function ownWordsBearOn(
  ask: string,
  sentences: string[],
  deps: AnswerDeps,
): boolean {
  const semantics = deps.retriever.semantics;
  if (!semantics) return true;
  return semantics.coverage(askQuery(ask), sentences.join(" ")).mean >=
    SOFT_RELEVANT;
}

/** Answers a question from the knowledge base, or says it cannot. */
export async function answerQuestion(
  email: ParsedEmail,
  deps: AnswerDeps,
): Promise<AnswerResult> {
  const body = email.cleanText || email.text;
  const asks = extractAsks(email.subject, body);
  // The statements around the asks ("My order already shipped.") help to
  // pick the answering sentence; they never decide whether to answer.
  const context = [
    email.subject,
    ...splitSentences(body).filter((s) => !isAsk(s)),
  ].join(" ");
  if (asks.length === 0 || asks.length > MAX_ASKS) {
    return { ok: false, reason: "no_kb_match", sources: [], confidence: 0 };
  }
  const paragraphs: string[][] = [];
  const sources: string[] = [];
  const titles: string[] = [];
  const used = new Set<string>();
  const missed: string[] = [];
  let confidence = 1;
  let previous: string | null = null;
  for (const asked of asks) {
    // "can you help me check your payment options?" asks about payment
    // options; "pssword" is "password".
    const spelt = deps.retriever.correct?.(asked) ?? asked;
    const ask = withoutRequestFrame(spelt);
    let found = await lookUp({ ask, query: askQuery(ask), context }, deps);
    if (previous !== null && !found.answer) {
      // "What is your refund policy? How many days do I have?": a follow-up
      // ask leans on the one before it; read it in that context.
      const again = await lookUp({
        ask: `${previous} ${ask}`,
        query: `${previous} ${found.query}`,
        context,
      }, deps);
      // Read with the ask before it, a follow-up borrows that ask's words;
      // it is answered only when its own words bear on the quoted sentences
      // ("…lifetime? And do I need the original receipt to claim?" is not
      // answered by the warranty sentence that answered the first ask).
      if (again.answer && ownWordsBearOn(ask, again.answer.sentences, deps)) {
        found = again;
      }
    }
    previous = found.query;
    confidence = Math.min(confidence, found.confidence);
    if (!found.answer) {
      for (const h of found.hits.slice(0, 3)) missed.push(h.id);
      continue;
    }
    const picked = found.answer.sentences.filter((s) => !used.has(s));
    picked.forEach((s) => used.add(s));
    if (picked.length > 0) paragraphs.push(picked);
    if (!sources.includes(found.answer.hit.id)) {
      sources.push(found.answer.hit.id);
    }
    if (!titles.includes(found.answer.hit.title)) {
      titles.push(found.answer.hit.title);
    }
  }
  const reply = paragraphs.length > 0
    ? renderAnswer({
      from: email.from,
      paragraphs,
      sourceTitles: titles,
      signature: deps.config.signature,
    })
    : null;
  confidence = Math.max(0, Math.min(1, confidence));
  if (missed.length > 0 || !reply) {
    return {
      ok: false,
      reason: "no_kb_match",
      sources: [...new Set([...sources, ...missed])],
      confidence: reply ? confidence : 0,
      ...(reply ? { suggestedReply: reply } : {}),
    };
  }
  return {
    ok: true,
    reply,
    sources,
    confidence,
    paragraphs,
    sourceTitles: titles,
  };
}
