/**
 * Signals that send a refund thread to a person at once, whatever its state:
 * legal threats, chargeback and fraud words, an angry tone, a request for a
 * human. Word-boundary matching only: "courtesy" never matches "court",
 * and "sue" counts only as a verb ("will sue", "suing"), not as a name.
 * Pure.
 * @module
 */

/** Why a thread is escalated, and the signal that did it. */
export interface EscalationSignal {
  reason: "escalated_tone" | "human_requested";
  /** E.g. `legal:lawyer`, `fraud:chargeback`, `tone:caps`, `human:manager`. */
  signal: string;
}

const RULES: Array<[string, RegExp]> = [
  [
    "legal",
    /\b(lawyers?|attorneys?|solicitors?|lawsuits?|legal action|legal proceedings|small claims|court|sued|suing|sue (?:you|your|u)|(?:will|going to|gonna|to|i'll) sue)\b/i,
  ],
  [
    "fraud",
    /\b(charge ?backs?|fraud|fraudulent|scam|scammed|scammers?|dispute (?:the|this) (?:charge|payment)|trading standards|consumer protection)\b/i,
  ],
  [
    "tone",
    /\b(unacceptable|ridiculous|outrageous|disgusting|disgraceful|furious|pathetic|incompetent|useless|worst|fed up|sick of|wtf|f+u+c+k\w*|shit\w*|damn)\b/i,
  ],
];

const HUMAN =
  /\b(?:(?:speak|talk|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|your\s+|the\s+|someone\s+|somebody\s+)?(?:real\s+|actual\s+|live\s+)?(human|person|manager|supervisor|agent|someone|somebody)|(?:want|need|get me)\s+(?:a|an|your)\s+(?:real\s+|actual\s+)?(human|person|manager|supervisor)(?!\s+resources)|(real person|human being|live agent))\b/i;

/** True when the text shouts: several all-caps words, or "!!!". */
export function shouts(text: string): string | null {
  if (/!{3,}/.test(text)) return "tone:exclamations";
  const words = text.match(/\b[A-Za-z]{3,}\b/g) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase());
  if (caps.length >= 4 && caps.length >= words.length * 0.5) return "tone:caps";
  return null;
}

/** The first escalation signal in `text`, or null. */
export function detectEscalation(text: string): EscalationSignal | null {
  const t = text.slice(0, 4000);
  if (/^\s*(human|agent|person)[.!]?\s*$/i.test(t)) {
    return { reason: "human_requested", signal: "human:human" };
  }
  const h = t.match(HUMAN);
  if (h) {
    const what = (h[1] ?? h[2] ?? h[3] ?? "human").toLowerCase();
    return { reason: "human_requested", signal: `human:${what}` };
  }
  for (const [kind, re] of RULES) {
    const m = t.match(re);
    if (m) {
      return {
        reason: "escalated_tone",
        signal: `${kind}:${(m[1] ?? m[0]).toLowerCase()}`,
      };
    }
  }
  const shout = shouts(t);
  return shout ? { reason: "escalated_tone", signal: shout } : null;
}
