/**
 * A ParsedEmail built from plain text: the pipeline's `textEmail`, kept at
 * this path for the eval scripts and tests that import it from here.
 * @module
 */
export { textEmail } from "../pipeline/mail/text_email.ts";
