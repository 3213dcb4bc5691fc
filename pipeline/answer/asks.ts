/**
 * Splits an email into its asks: the sentences that ask something
 * (questions, "I'd like to know …", "please tell me …"). Greetings,
 * thanks and signatures are left out.
 * @module
 */
import { withoutReplyPrefixes } from "../mail/reply_subject.ts";
import { tokenize } from "../knowledge/tokenize.ts";
import { caseSaysNothing, wordsAsWritten } from "./answer_type.ts";

const QUESTION_START =
  /^(how|what|whats|what's|when|where|which|why|who|whom|can|could|do|does|did|is|are|was|will|would|should|shall|may|might|have|has|any|is there|are there)\b/i;
const ASK_PHRASE =
  /^(?:please )?tell me\b|^(?:i )?need to know\b|^any idea\b|\b(?:looking for|need|want) (?:some )?info(?:rmation)? (?:on|about)\b|\b(i(?:'d| would) like to (?:know|find out)|i want to know|i need to know|(?:please )?(?:tell|let) me know|please tell me|please advise|please explain|i(?:'m| am) wondering|i wonder|wondering (?:if|whether|how|what|when)|can you (?:tell|explain|confirm)|could you (?:tell|explain|confirm))\b/i;
/** "Hi," "Hello team!" "Dear Sir or Madam," — not "Hello, my order shipped." */
const GREETING =
  /^(hi|hiya|hello|hey|dear|good (morning|afternoon|evening|day)|greetings)\b(\s+[\p{L}.'-]+){0,4}\s*[,!.]?$/iu;
const CLOSING =
  /^(thanks?( you)?( so much| very much| a lot| a million)?( in advance)?( for (your|the) (help|time))?|thx|ty|many thanks( in advance)?|cheers|(all the )?best( regards| wishes)?|(kind|warm|warmest|best) (regards|wishes)|regards|sincerely|yours( sincerely| faithfully| truly)?|take care|have a (nice|good|great) (day|weekend)|sent from my .+)[,.!]*( [\p{L}.'-]+){0,3}$/iu;
/** "I hope this email finds you well." "Looking forward to your reply." */
const PLEASANTRY =
  /^(i )?hope (this (email|message|note) finds you well|you(?:'re| are)( all)? (doing )?(well|good|great|ok|okay)|all is well|you(?:'re| are) having a (good|nice|great) (day|week))|^(i(?:'m| am) )?(i )?look(ing)? forward to (hearing from you|your (reply|response|answer))|^(thanks?( you)?|many thanks)( so much| very much)? for (your|the) (help|time)/i;

/**
 * "Good morning, how much is postage?" "Hi there - quick question: do you…"
 * "Hiya! Just a quick one - where can I park?": a greeting (and a "quick
 * question:") before the ask in the same sentence.
 */
const LEADING_GREETING =
  /^(?:(?:hi|hiya|hello|hey|dear|good (?:morning|afternoon|evening|day)|morning|afternoon|greetings)\b(?:\s+(?!(?:i|im|i'm|my|we|our|me|just|have|has|am|is|are|was)\b)[\p{L}'.]+){0,4}\s*[,!:;.\u2013\u2014-]+\s*)?(?:(?:(?:just )?(?:a |one )?(?:quick |small |short )?(?:question|query|enquiry|inquiry|one|thing)|(?:two|2|three|3|a few|a couple of|couple of|some) (?:quick |small |short )?(?:things|questions|queries))\s*[:\u2013\u2014-]+\s*)?/iu;
/**
 * "I have a question." "Can you help me?" "Hope you can help!": a sentence
 * that announces an ask without asking anything.
 */
const ANNOUNCES_ASK =
  /^(?:(?:i(?:'ve| have) got|i have|got) (?:a|one|two|some|a few|a couple of)(?: more| quick| small| short| little)* (?:questions?|quer(?:y|ies)|enquir(?:y|ies)|inquir(?:y|ies))(?: for you)?|(?:just )?(?:a )?quick question|(?:i )?hope you can help(?: me)?|i(?:'m| am)? hoping you can help(?: me)?|(?:can|could|would) (?:you|someone|somebody|anyone) (?:please )?help(?: me)?(?: (?:out|with (?:something|this|a question|my question)))?(?: please)?|i need (?:some )?help(?: please)?|(?:i(?:'m| am) )?wondering if you (?:can|could) help(?: me)?)[\s.!?]*$/i;

/**
 * "I have been a customer for years and I have a question.": the sentence
 * ends by announcing the ask; it neither asks nor tells what about.
 */
const ENDS_ANNOUNCING_ASK =
  /\b(?:and|but|so)\s+(?:i(?:'ve| have)(?: got)?|i(?:'ve| have) just got) (?:a|one|two|some|a few|a couple of)(?: more| quick| small| short| little)* (?:questions?|quer(?:y|ies)|enquir(?:y|ies)|inquir(?:y|ies))(?: for you)?[\s.!]*$/i;

/** "Btw how much is …", "Also, do you …": a word that joins the ask to what came before. */
const JOINING_WORD =
  /^(?:btw|by the way|also|and also|and|plus|oh and|so|ps|p\.s\.)\s*[,:]?\s+(?=\S{2})/i;

/** "hiya what hours are u open": a greeting and the ask, with no comma between. */
const GREETING_THEN_ASK =
  /^(?:hi|hiya|hello|hey)(?:\s+(?:there|guys|all|team|folks))?\s+(?=(?:how|what|whats|what's|when|where|which|why|who|can|could|do|does|did|is|are|will|would|should)\b)/i;

/** The ask with any greeting or "quick question:" before it removed. */
function withoutLeadIn(s: string): string {
  const rest = s.replace(LEADING_GREETING, "").replace(GREETING_THEN_ASK, "")
    .replace(JOINING_WORD, "");
  return rest.length >= 3 && rest !== s ? rest : s;
}

/** "How long …, and do I pay …?" holds two asks. */
const COMPOUND =
  /,?\s+(?:and|also|or|plus)\s+(?=(?:do|does|can|could|how|what|when|where|which|is|are|will|would|should)\b)/i;

/**
 * "What should I do?", "Warranty?", "When does it go away?": little content,
 * or a short ask about "it". An ask whose one content word is a name it
 * writes ("Do you take PayPal?") says what it is about on its own.
 */
function leansOnContext(s: string): boolean {
  const n = tokenize(s).length;
  return n < 1 || (n < 2 && !writesName(s)) ||
    (n < 3 && /\b(it|this|that|they|them)\b/i.test(s));
}

/**
 * A capitalised word after the first ("PayPal", "American Express"), not
 * "I", in a sentence whose capitals mark names (not "HOW MUCH IS IT?").
 */
function writesName(s: string): boolean {
  return /\s(?!I\b|I['’])\p{Lu}[\p{L}\p{N}]/u.test(s) &&
    !caseSaysNothing(wordsAsWritten(s));
}

/** Sentences of a text (split at . ? ! and line breaks). */
export function splitSentences(text: string): string[] {
  return text.replace(/\r\n?/g, "\n").split(/\n+/).flatMap((line) =>
    line.split(SENTENCE_BREAK)
  ).flatMap((s) => s.split(INLINE_SIGN_OFF)).map((s) => s.trim()).filter((
    s,
  ) => s.length > 0);
}

/**
 * "can i see what hours i can call customer service Many thanks in
 * advance!": a capitalised sign-off after an unpunctuated ask starts a
 * sentence of its own.
 */
const INLINE_SIGN_OFF =
  /\s+(?=(?:Many thanks|Thanks(?: a lot| so much| in advance)?|Thank you|Kind regards|Best regards|Best wishes|Warm regards|Regards|Cheers)\b[\s,.!]*(?:$|[\p{Lu}]|in advance|for))/u;

/**
 * "I need assistance to see what options for delivery I have", "help me
 * reset my password", "need to unsubscribe from ur newsletter": a request
 * with no question in it. Read as the ask only when nothing else in the
 * email asks ("I want to order a sofa. How long is delivery?" asks one
 * thing).
 */
const REQUEST =
  /^(?:i\s+|we\s+)?(?:(?:really\s+)?(?:need|want|wanna|would like|'d like|d like|am trying|'m trying|im trying|try|trying|have to|have got to|got to|must)\b|(?:please\s+)?(?:help|assist|show|tell)\s+me\b|(?:please\s+)?(?:help|assistance)\b)/i;

/**
 * After . ? or !: a capital or digit starts a sentence, and so do a
 * question word and the usual openings of a sentence in lower case ("I
 * have a question. do you post plants…", "I hope this email finds you
 * well. if i sign up…", "I had a look around. hi im 195cm…").
 */
const SENTENCE_BREAK =
  /(?<=[?!])\s+|(?<=\.)\s+(?=["'(]?[A-Z0-9]|(?:how|what|whats|when|where|which|why|who|can|could|do|does|is|are|will|would|should|if|i|im|i'm|ive|i've|id|i'd|my|we|hi|hello|hey|please|also|thanks|thank|need|want|wanna|help)\s)/;

/** True when `s` asks something. */
export function isAsk(s: string): boolean {
  const t = s.trim();
  if (t.endsWith("?")) return true;
  return QUESTION_START.test(t) || ASK_PHRASE.test(t) ||
    CONDITIONAL_ASK.test(t);
}

/** "if i sign up for a year do i still pay the joining fee" (no "?"). */
const CONDITIONAL_ASK =
  /^(?:if|when|once)\b.*\b(?:do|does|can|could|will|would|should|am|is|are)\s+(?:i|we|you|they|it|my)\b/i;

/** True when some sentence of the text asks something in so many words. */
export function hasExplicitAsk(text: string): boolean {
  return splitSentences(text).some((s) => isAsk(withoutLeadIn(s)));
}

/**
 * Subjects that name no topic ("Enquiry", "A few questions", "Help
 * please"): without an ask in the body they are not one either.
 */
const GENERIC_SUBJECT =
  /^(?:(?:a |my |one |some |another |a few |a couple of |few |quick |small |short |general |new |urgent )*(?:questions?|quer(?:y|ies)|enquir(?:y|ies)|inquir(?:y|ies)|help|info(?:rmation)?|request|support|hello|hi|hey|contact|message)(?:(?: from| for)(?: a)?(?: new| existing)? (?:customer|client|you))?(?: please| needed| wanted)?[\s.!?]*)$/i;

/**
 * The asks of an email. When the body asks nothing recognisable, the whole
 * new text (with the subject) is one ask.
 */
export function extractAsks(subject: string, body: string): string[] {
  const all = splitSentences(body);
  // What follows the sign-off ("Thanks, / Chloe / Acme Ltd") is a signature.
  const signOff = all.findIndex((s, i) =>
    (i > 0 && CLOSING.test(s)) || /^sent from my\b/i.test(s)
  );
  const sentences = all.slice(0, signOff >= 0 ? signOff : all.length).filter((
    s,
  ) => !GREETING.test(s) && !PLEASANTRY.test(s) && /[\p{L}]{2,}/u.test(s)).map(
    withoutLeadIn,
  ).filter((s) => !ANNOUNCES_ASK.test(s) && !ENDS_ANNOUNCING_ASK.test(s));
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
  const subj = withoutReplyPrefixes(subject)
    .replace(GENERIC_SUBJECT, "");
  if (asks.length > 0) return dedupe(asks);
  // "How much is it to send a bike back?" as the subject, and a body that
  // asks nothing ("Sent from my iPhone", the details): the subject is the ask.
  if (isAsk(subj)) return [subj];
  const requests = sentences.filter((s) => REQUEST.test(s));
  if (requests.length > 0) return dedupe(requests);
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
