/**
 * Splits an email into its asks: the sentences that ask something
 * (questions, "I'd like to know …", "please tell me …"). Greetings,
 * thanks and signatures are left out.
 * @module
 */
import { tokenize } from "../knowledge/tokenize.ts";

const QUESTION_START =
  /^(how|what|whats|what's|when|where|which|why|who|whom|can|could|do|does|did|is|are|was|will|would|should|shall|may|might|have|has|any|is there|are there)\b/i;
const ASK_PHRASE =
  /\b(i(?:'d| would) like to know|i want to know|i need to know|(?:please )?(?:tell|let) me know|please tell me|please advise|please explain|i(?:'m| am) wondering|i wonder|wondering (?:if|whether|how|what|when)|can you (?:tell|explain|confirm)|could you (?:tell|explain|confirm)|i have a question)\b/i;
/** "Hi," "Hello team!" "Dear Sir or Madam," — not "Hello, my order shipped." */
const GREETING =
  /^(hi|hello|hey|dear|good (morning|afternoon|evening|day)|greetings)\b(\s+[\p{L}.'-]+){0,4}\s*[,!.]?$/iu;
const CLOSING =
  /^(thanks?( you)?( so much| very much| in advance)?|thx|many thanks|cheers|best( regards| wishes)?|kind regards|regards|sincerely|yours|sent from my .+)[,.!]?$/i;

/** "How long …, and do I pay …?" holds two asks. */
const COMPOUND =
  /,?\s+(?:and|also|or|plus)\s+(?=(?:do|does|can|could|how|what|when|where|which|is|are|will|would|should)\b)/i;

/** "What should I do?" or "When does it go away?": little content, or a short ask about "it". */
function leansOnContext(s: string): boolean {
  const n = tokenize(s).length;
  return n < 2 || (n < 3 && /\b(it|this|that|they|them)\b/i.test(s));
}

/** Sentences of a text (split at . ? ! and line breaks). */
export function splitSentences(text: string): string[] {
  return text.replace(/\r\n?/g, "\n").split(/\n+/).flatMap((line) =>
    line.split(/(?<=[.?!])\s+(?=["'(]?[A-Z0-9])/)
  ).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** True when `s` asks something. */
export function isAsk(s: string): boolean {
  const t = s.trim();
  if (t.endsWith("?")) return true;
  return QUESTION_START.test(t) || ASK_PHRASE.test(t);
}

/** True when some sentence of the text asks something in so many words. */
export function hasExplicitAsk(text: string): boolean {
  return splitSentences(text).some(isAsk);
}

/**
 * The asks of an email. When the body asks nothing recognisable, the whole
 * new text (with the subject) is one ask.
 */
export function extractAsks(subject: string, body: string): string[] {
  const sentences = splitSentences(body).filter((s) =>
    !GREETING.test(s) && !CLOSING.test(s) && /[\p{L}]{2,}/u.test(s)
  );
  // An ask with little content of its own ("What should I do?") takes the
  // sentence before it as context.
  const asks: string[] = [];
  sentences.forEach((s, i) => {
    if (!isAsk(s)) return;
    const prev = sentences[i - 1];
    const withContext = leansOnContext(s) && prev && !isAsk(prev)
      ? `${prev} ${s}`
      : s;
    asks.push(
      ...withContext.split(COMPOUND).map((p) => p.trim()).filter((p) =>
        tokenize(p).length > 0
      ),
    );
  });
  const subj = subject.replace(/^\s*((re|fwd?|aw|wg)\s*:\s*)+/i, "").trim();
  if (asks.length > 0) return dedupe(asks);
  const whole = [subj, ...sentences].filter(Boolean).join(" ").trim();
  return whole ? [whole] : [];
}

function dedupe(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = x.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
