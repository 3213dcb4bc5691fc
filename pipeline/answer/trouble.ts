/**
 * A section about a mishap ("Delivery problems", "Failed payments",
 * "Charged twice", "Lost or stolen SIM") answers only a customer who has
 * one. "How long does it take for my item to arrive?" shares "arrive" and a
 * duration with "If a parcel arrives damaged … within 7 days", and the
 * answer is wrong. So when the chosen section's heading names a mishap, the
 * email must speak of some trouble too: a word of trouble or a negation
 * anywhere in it, or a word of the ask itself close in meaning to the
 * heading's mishap (only the ask: in a greeting or a signature, common words
 * such as "well" come close to "problems" by chance). Pure.
 * @module
 */
import { words } from "../knowledge/tokenize.ts";

/** Heading words that name a mishap. */
const MISHAP =
  /\b(?:problems?|issues?|damaged?|missing|lost|stolen|fail(?:s|ed|ure|ures)?|declined|broken|faulty|defective|wrong|late\s+(?:deliver\w*|orders?|parcels?|arrivals?|payments?|shipments?)|delayed|delays?|twice|not\s+(?:working|updating|arriving|received)|complaints?|disputes?|no-shows?)\b/gi;

/** Email words that tell of trouble (negations included: "hasn't come"). */
const TROUBLE = new Set(
  (
    "problem problems issue issues trouble damaged damage broken broke snapped cracked " +
    "crushed dented torn ripped missing lost lose losing stolen nicked failed fail fails " +
    "failing bounced declined rejected late later delayed delay wrong faulty defective " +
    "twice double error errors stuck dead died dying droopy wilted mistake complaint " +
    "complain never not no didnt doesnt hasnt havent isnt wasnt wont cant cannot couldnt " +
    "without miss missed stopped still yet dispute overcharged left forgot forgotten"
  ).split(" "),
);

/** Least closeness of an email word to the heading's mishap word that counts. */
const NEAR = 0.65;

/**
 * The mishap the heading names that the email says nothing of, or null
 * (no mishap in the heading, or the email tells of trouble). `ask` is the
 * ask, `context` the rest of the email; `near(word, text)` is the closeness
 * of `word` to the closest word of `text`.
 */
export function unaskedMishap(
  heading: string,
  email: { ask: string; context: string },
  near: (word: string, text: string) => number,
): string | null {
  const mishaps = heading.match(MISHAP);
  if (!mishaps) return null;
  const all = `${email.ask} ${email.context}`;
  if (words(all).some((w) => TROUBLE.has(w))) return null;
  const far = mishaps.find((m) => near(m, email.ask) < NEAR);
  return far ?? null;
}
