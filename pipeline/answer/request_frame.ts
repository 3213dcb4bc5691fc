/**
 * The words around an ask that say how the customer asks, not what about:
 * "can you help me to check", "I need assistance seeing", "I don't know
 * how I can see", "want information about", and swearing. Read as terms
 * they match no knowledge-base sentence, so "can you help me see your
 * accepted payment options" scored below "payment options" with the
 * "Payment methods" section first. Pure.
 * @module
 */

/** Swear words: they carry feeling, never the topic. */
const SWEARING =
  /\b(?:god ?damn(?:ed)?|damn(?:ed)?|fuck(?:ing|in)?|bloody|freaking|frigging|effing|shitty|crappy)\b/gi;

/**
 * "can you (please) help me (to)", "could u assist me with", "help me
 * check", "I need assistance seeing", "help checking". Never "help" as a
 * thing ("a help page", "the help centre").
 */
const HELP = new RegExp(
  [
    // "can you help", "could u assist me with"
    String
      .raw`\b(?:can|could|would|will)\s+(?:you|u|ya)\s+(?:please\s+)?(?:help|assist)\s+(?:me\s+|us\s+)?(?:out\s+)?(?:to\s+|with\s+|in\s+)?`,
    // "help me to", "assist us with"
    String
      .raw`\b(?:please\s+)?(?:help|assist)(?:ing)?\s+(?:me|us)\b\s*(?:out\s+)?(?:to\s+|with\s+|in\s+)?`,
    // "help to", "some assistance with", "assistance seeing", "help checking"
    String
      .raw`\b(?:some\s+)?(?:help|assistance)\s+(?:(?:to|with|in|for)\s+|(?=\w+ing\b))`,
  ].join("|"),
  "gi",
);

/** "can you tell me", "could u show me", "would you let me know". */
const TELL =
  /\b(?:can|could|would|will)\s+(?:you|u|ya)\s+(?:please\s+)?(?:tell|show|let)\s+me\s+(?:know\s+)?/gi;

/** Spoken forms of "want to", "going to", "got to". */
const SPOKEN = /\b(?:wanna|gonna|gotta)\b/gi;

/** "information about", "some info on". */
const INFORMATION =
  /\b(?:some\s+|more\s+)?(?:information|info|infos|details)\s+(?:about|on|regarding|for)\b/gi;

/**
 * Looking verbs before what is looked at, after a request ("I try to check
 * the", "help me see what", "need to list your", "checking how long" at the
 * start). Never "check in" or "check out", nor a question of its own ("Can
 * I see the room before I book?").
 */
const LOOKING =
  /(?:^\s*|(?<=\b(?:to|me|us|help|need|want|try|trying|tried|must|where\s+(?:can|do|could|should)\s+i|how\s+(?:can|do|could|should)\s+i|how\s+i\s+(?:can|could))\s+)|\bto\s+)(?:check|see|list|view|consult|verify|find out|look up|look at)(?:ing)?\s+(?=(?:the|a|an|ur|your|yr|my|our|what|which|when|where|how|if|whether|in what|available|accepted|allowed|current)\b)/gi;

/** "can I see what hours …", "could we check if …": asking to be told. */
const LOOKING_WH =
  /(?<=\b(?:can|could|may)\s+(?:i|we)\s+)(?:check|see|find out|look up)\s+(?=(?:what|which|when|where|how|if|whether)\b)/gi;

/** Content is left when at least one word of three letters or more remains. */
const CONTENT = /\p{L}{3,}/u;

/** The ask without its request frame; the ask itself when nothing would remain. */
export function withoutRequestFrame(ask: string): string {
  const out = ask.replace(SWEARING, " ").replace(SPOKEN, " ")
    .replace(TELL, " ").replace(HELP, " ")
    .replace(INFORMATION, " ").replace(LOOKING, " ").replace(LOOKING_WH, " ")
    .replace(/\s+/g, " ")
    .trim();
  return CONTENT.test(out) ? out : ask;
}
