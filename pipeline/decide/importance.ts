/**
 * Importance 1–5 for review items, from word-boundary signals only ("tissue"
 * is not "issue", "unsubscribe" is not "subscribe", "helpful" is not
 * "help"). The reasons are kept with the score, e.g.
 * `["urgency:urgent", "legal:lawyer", "repeat_sender:2"]`.
 *
 * Score: 2, plus urgency +1, legal/financial risk +2, complaint tone +1,
 * a problem +1, billing +1, VIP sender +2, a sender writing again +1,
 * minus 1 for bulk mail (an unsubscribe footer, a newsletter); kept in 1..5.
 * @module
 */

/** Input of `scoreImportance`. */
export interface ImportanceInput {
  subject: string;
  body: string;
  senderAddress: string;
  vipSenders: string[];
  /** Messages from this sender in the last 7 days, before this one. */
  priorFromSender: number;
}

interface Signal {
  kind: string;
  points: number;
  re: RegExp;
}

const SIGNALS: Signal[] = [
  {
    kind: "urgency",
    points: 1,
    re:
      /\b(urgent|urgently|asap|deadline|immediately|today|emergency|right away|as soon as possible)\b/gi,
  },
  {
    kind: "legal",
    points: 2,
    re:
      /\b(lawyers?|attorneys?|solicitors?|lawsuits?|legal action|court|sued|suing|sue you|chargebacks?|charge back|fraud|fraudulent|scam|scammed)\b/gi,
  },
  {
    kind: "complaint",
    points: 1,
    re:
      /\b(unacceptable|terrible|worst|disappointed|disappointing|awful|horrible|disgusting|ridiculous|furious|outraged|complaint|angry)\b/gi,
  },
  {
    kind: "problem",
    points: 1,
    re:
      /\b(issue|issues|problem|problems|broken|damaged|defective|faulty|not working|help)\b/gi,
  },
  {
    kind: "billing",
    points: 1,
    re:
      /\b(subscribe|subscription|billing|invoice|payment|charged|overcharged|double charged)\b/gi,
  },
];

const BULK =
  /\b(unsubscribe|newsletter|view (?:this email )?in (?:your )?browser|manage (?:your )?preferences|no longer wish to receive)\b/i;

/** Angry caps (several all-caps words) or "!!!". */
function shouting(text: string): string | null {
  if (/!{3,}/.test(text)) return "complaint:exclamations";
  const words = text.match(/\b[A-Za-z]{3,}\b/g) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase());
  return caps.length >= 4 && caps.length >= words.length * 0.5
    ? "complaint:caps"
    : null;
}

/** Scores an email's importance from word-boundary signals. */
export function scoreImportance(
  input: ImportanceInput,
): { score: number; reasons: string[] } {
  const text = `${input.subject}\n${input.body}`.slice(0, 20_000);
  const reasons: string[] = [];
  let score = 2;
  for (const s of SIGNALS) {
    const words = new Set<string>();
    for (const m of text.matchAll(s.re)) {
      words.add((m[1] ?? m[0]).toLowerCase().replace(/\s+/g, " "));
    }
    if (words.size > 0) {
      score += s.points;
      for (const w of [...words].slice(0, 3)) reasons.push(`${s.kind}:${w}`);
    }
  }
  const shout = shouting(text);
  if (shout) {
    if (!reasons.some((r) => r.startsWith("complaint:"))) score += 1;
    reasons.push(shout);
  }
  const sender = input.senderAddress.trim().toLowerCase();
  if (
    sender && input.vipSenders.some((v) => v.trim().toLowerCase() === sender)
  ) {
    score += 2;
    reasons.push("vip_sender");
  }
  if (input.priorFromSender > 0) {
    score += 1;
    reasons.push(`repeat_sender:${input.priorFromSender}`);
  }
  const bulk = text.match(BULK);
  if (bulk) {
    score -= 1;
    reasons.push(`bulk:${bulk[1]?.toLowerCase()}`);
  }
  return { score: Math.max(1, Math.min(5, score)), reasons };
}
