/**
 * Email shells: the same ask wrapped the ways customers write mail
 * (greetings on the ask's line, "I have a question.", pleasantries, sign-offs
 * with names, signatures, "Sent from my phone", a question in lower case).
 * `eval/answers_report.ts SET --shells` runs a set's lines inside them; a
 * line's outcome should not change with its shell.
 * @module
 */

/** One eval line's subject and body. */
export interface Mail {
  subject?: string;
  body: string;
}

const lower = (b: string) => b.charAt(0).toLowerCase() + b.slice(1);

/** The shells, applied in turn to the lines of a set. */
export const SHELLS: Array<(body: string) => Mail> = [
  (b) => ({ subject: "Question", body: `Hi there,\n\n${b}\n\nThanks,\nSam` }),
  (b) => ({
    subject: "quick question about my order",
    body:
      `Hello,\nI have been a customer for a while and I have a question. ${b}\nKind regards,\nMaria Lopez`,
  }),
  (b) => ({
    body:
      `Good morning, ${b} Many thanks in advance! Best, Tom\n\nSent from my iPhone`,
  }),
  (b) => ({
    subject: "Enquiry",
    body:
      `Dear Customer Services,\n\nI hope this email finds you well. ${b}\n\nI look forward to hearing from you.\n\nYours faithfully,\nMr J. Patel`,
  }),
  (b) => ({ subject: "hello", body: `hey, ${lower(b)} thx` }),
  (b) => ({
    body:
      `Hi Team,\n\nHope you're all doing well!\n\n${b}\n\nAll the best,\nChloe\n--\nChloe Martin | Marketing Lead | Acme Ltd\nT: +44 20 7946 0000`,
  }),
  (b) => ({
    subject: "Re: your website",
    body:
      `Hello! I saw your website and had a look around. ${b} Thank you very much for your time.\n\nRegards\nDave`,
  }),
  (b) => ({
    subject: "Help please",
    body: `Good afternoon,\n\n${b}\n\nMany thanks,\n\nAnne-Marie`,
  }),
  (b) => ({ body: `${b}\n\nSent from my Samsung Galaxy smartphone.` }),
  (b) => ({
    subject: "A few questions",
    body: `Hiya! Just a quick one - ${lower(b)}\nCheers, Liam`,
  }),
  (b) => ({
    subject: "Question from a new customer",
    body:
      `Hi,\nI'm thinking about ordering from you for the first time. ${b}\nThanks a lot\nPriya`,
  }),
];

/** Line `i`'s body inside shell `i mod n` (the line's own subject is replaced). */
export function inShell(body: string, i: number): Mail {
  return SHELLS[i % SHELLS.length]!(body);
}
