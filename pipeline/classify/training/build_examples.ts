/**
 * Writes `classify_examples.jsonl` from the hand-written building blocks in
 * `intents.ts` and `emails.ts`: each request is put in several phrasings
 * (bare, "how do I …", "can you help me …", noun forms), with the noise real
 * mail has (typos, lower case, order ids, greetings, signatures).
 * Deterministic (seeded). Run: `deno run --allow-write pipeline/classify/training/build_examples.ts [OUT] [SEED]`.
 * @module
 */
import { INTENTS } from "./intents.ts";
import { WHOLE_EMAILS } from "./emails.ts";

const VERB_FRAMES = [
  "{V}",
  "i want to {V}",
  "I'd like to {V}",
  "I need to {V}",
  "I have to {V}",
  "I have got to {V}",
  "can you help me {V}?",
  "help me {V}",
  "i need help to {V}",
  "I need assistance to {V}",
  "I want assistance to {V}",
  "could you help me to {V}?",
  "how do I {V}?",
  "how can I {V}?",
  "where can I {V}?",
  "what do I have to do to {V}?",
  "I don't know how to {V}",
  "I don't know what I have to do to {V}",
  "tell me how to {V}",
  "show me how to {V}",
  "is it possible to {V}?",
  "would it be possible to {V}?",
  "I'm trying to {V}",
  "I wanna {V}",
  "I would like to {V}, please",
  "please help me {V}",
  "can I {V}?",
  "how to {V}",
  "I must {V}",
  "what's the way to {V}?",
  "id like to {V}",
  "i cant {V}",
  "I am unable to {V}",
];
const GERUND_FRAMES = [
  "help {G}",
  "I need help {G}",
  "assistance {G}",
  "I have a problem {G}",
  "problems {G}",
  "I want help {G}",
  "can you help me with {G}?",
  "I'm having trouble {G}",
  "information about {G}",
  "help me with {G}",
  "I want information about {G}",
  "question about {G}",
  "I need assistance {G}",
];
const NOUN_FRAMES = [
  "{N}",
  "question about {N}",
  "help with {N}",
  "information about {N}",
  "I have a problem with {N}",
  "assistance with {N}",
  "i need info on {N}",
  "I'm writing about {N}",
  "need help with {N}",
  "can you give me information about {N}?",
  "I have a question about {N}",
  "{N}, please",
  "about {N}",
];
const ITEMS = [
  "lamp",
  "sofa",
  "jacket",
  "mug set",
  "desk",
  "rug",
  "bed sheets",
  "headphones",
  "chair",
  "sweater",
  "kettle",
  "mirror",
];
const COUNTRIES = [
  "Finland",
  "Canada",
  "Brazil",
  "Germany",
  "Australia",
  "the UK",
  "Japan",
  "Mexico",
];
const GREETINGS = [
  "Hi,",
  "Hello,",
  "Hello team,",
  "Dear Sir or Madam,",
  "Hey there,",
  "Good morning,",
  "Hi Northwind,",
  "Dear support,",
];
const CLOSINGS = [
  "Thanks,\nJane",
  "Best regards,\nPeter Novak",
  "Cheers\nTom",
  "Kind regards,\nMaria Lopez\nSent from my iPhone",
  "Thank you\nAhmed",
  "Regards,\nK. Tanaka",
  "thx",
  "Greetings from Lyon,\nClaire",
  "--\nSam Patel\n+1 555 0100",
];
const NAMES = [
  "Jane",
  "Peter",
  "Maria",
  "Ahmed",
  "Yuki",
  "Olga",
  "Carlos",
  "Priya",
];

let seed = Number(Deno.args[1] ?? 20250101);
function rand(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function orderId(): string {
  const n = 10000 + Math.floor(rand() * 89999);
  return pick([
    `ORD${n}`,
    `#${n}`,
    `${n}${n}`.slice(0, 8),
    `ORD-${n}`,
    `00${n}`,
    `order number ${n}`,
  ]);
}

const IRREGULAR: Record<string, string> = {
  get: "getting",
  set: "setting",
  stop: "stopping",
  put: "putting",
  cancel: "cancelling",
  see: "seeing",
  be: "being",
  sign: "signing",
  swap: "swapping",
  call: "calling",
  ship: "shipping",
};

/** "get a refund" → "getting a refund". */
function gerund(v: string): string {
  const [first = "", ...rest] = v.split(" ");
  const g = IRREGULAR[first.toLowerCase()] ??
    (first.endsWith("ie")
      ? first.slice(0, -2) + "ying"
      : first.endsWith("e") && !first.endsWith("ee")
      ? first.slice(0, -1) + "ing"
      : first + "ing");
  return [g, ...rest].join(" ");
}

function fill(s: string): string {
  return s.replace(/\{ORD\}/g, orderId).replace(/\{ITEM\}/g, () => pick(ITEMS))
    .replace(
      /\{AMT\}/g,
      () => pick(["$45", "$129.99", "49 euros", "$15", "1499 dollars", "$230"]),
    )
    .replace(/\{COUNTRY\}/g, () => pick(COUNTRIES)).replace(
      /\{N\}/g,
      () => String(1000 + Math.floor(rand() * 9000)),
    );
}

function typo(s: string): string {
  const ws = s.split(" ");
  const i = Math.floor(rand() * ws.length);
  const w = ws[i] ?? "";
  if (w.length < 5) return s;
  const j = 1 + Math.floor(rand() * (w.length - 2));
  const op = rand();
  ws[i] = op < 0.4
    ? w.slice(0, j) + w.slice(j + 1)
    : op < 0.7
    ? w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2)
    : w.slice(0, j) + w[j] + w.slice(j);
  return ws.join(" ");
}

function noise(s: string): string {
  let t = s;
  if (rand() < 0.25) t = typo(t);
  if (rand() < 0.1) t = typo(t);
  if (rand() < 0.4) t = t.toLowerCase();
  if (rand() < 0.3) t = t.replace(/[?.!]$/, "");
  if (rand() < 0.05) t = t.replace(/\b(my|the|your)\b/, "$1 fucking");
  if (rand() < 0.1) {
    t = pick(["please ", "hey ", "hi, ", "hello, ", "urgent: "]) + t;
  }
  return t;
}

function asEmail(
  body: string,
  subject: string,
): { subject: string; body: string } {
  const name = pick(NAMES);
  const greet = rand() < 0.7 ? pick(GREETINGS) + "\n\n" : "";
  const close = rand() < 0.7
    ? "\n\n" + pick(CLOSINGS).replace("Jane", name)
    : "";
  return { subject, body: greet + body + close };
}

const SUBJECTS: Record<string, string[]> = {
  Refund: [
    "Refund",
    "refund request",
    "Order {ORD}",
    "money back",
    "Problem with my order",
    "",
    "cancel order",
    "where is my refund",
  ],
  Question: [
    "Question",
    "quick question",
    "help",
    "",
    "Order {ORD}",
    "Info",
    "Account",
    "Shipping question",
  ],
  Other: [
    "Hello",
    "",
    "Feedback",
    "complaint",
    "Order {ORD}",
    "Support",
    "A request",
  ],
};

const out: Array<{ subject: string; body: string; label: string }> = [];
for (const intent of INTENTS) {
  const per = intent.label === "Refund"
    ? 220
    : intent.label === "Other"
    ? 120
    : 70;
  for (let i = 0; i < per; i++) {
    // Round-robin over the phrase pools so every phrase is used evenly.
    const kind = i % 4;
    const v =
      intent.verbs[Math.floor(i / 4) % Math.max(1, intent.verbs.length)];
    const core = kind === 0 && v
      ? pick(VERB_FRAMES).replace("{V}", v)
      : kind === 1 && v
      ? pick(GERUND_FRAMES).replace("{G}", gerund(v))
      : kind === 2 && intent.nouns.length
      ? pick(NOUN_FRAMES).replace(
        "{N}",
        intent.nouns[Math.floor(i / 4) % intent.nouns.length]!,
      )
      : intent.sentences[Math.floor(i / 4) % intent.sentences.length]!;
    const text = noise(fill(core));
    if (rand() < 0.35) {
      const e = asEmail(
        text.charAt(0).toUpperCase() + text.slice(1),
        fill(pick(SUBJECTS[intent.label]!)),
      );
      out.push({ ...e, label: intent.label });
    } else out.push({ subject: "", body: text, label: intent.label });
  }
}
for (const e of WHOLE_EMAILS) out.push(e);

const seen = new Set<string>();
const lines = out.filter((e) => {
  const k = (e.subject + "|" + e.body).toLowerCase();
  if (seen.has(k)) return false;
  seen.add(k);
  return true;
}).map((e) =>
  JSON.stringify({ subject: e.subject, body: e.body, label: e.label })
);
await Deno.writeTextFile(
  Deno.args[0] ?? new URL("./classify_examples.jsonl", import.meta.url),
  lines.join("\n") + "\n",
);
