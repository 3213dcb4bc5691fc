/**
 * Gmail's quota: what each API method costs and how many units one user may
 * spend per minute, as Google publishes them (developers.google.com/
 * workspace/gmail/api/reference/quota). The tables are configuration
 * (`GMAIL_COST_TABLE`, `GMAIL_UNITS_PER_MINUTE`); the defaults are the
 * current published values.
 * @module
 */

/** Names of the cost tables. */
export type GmailCostTableName = "legacy" | "current";

/**
 * Units per method. `legacy`: the table of projects created before 1 May
 * 2026 (15,000 units per user per minute). `current`: projects created from
 * 1 May 2026 get 6,000 units per user per minute and pay more for reads
 * (messages.get and messages.attachments.get 20, threads.get 40); methods
 * whose new price is not published keep the old one.
 */
export const GMAIL_COST_TABLES: Readonly<
  Record<GmailCostTableName, Readonly<Record<string, number>>>
> = {
  legacy: {
    "users.getProfile": 1,
    "messages.list": 5,
    "messages.get": 5,
    "messages.send": 100,
    "messages.modify": 5,
    "messages.attachments.get": 5,
    "drafts.create": 10,
    "drafts.send": 100,
    "drafts.list": 1,
    "drafts.get": 1,
    "drafts.update": 15,
    "drafts.delete": 10,
    "labels.list": 1,
    "labels.get": 1,
    "labels.create": 5,
    "history.list": 2,
    "threads.get": 10,
  },
  current: {
    "users.getProfile": 1,
    "messages.list": 5,
    "messages.get": 20,
    "messages.send": 100,
    "messages.modify": 5,
    "messages.attachments.get": 20,
    "drafts.create": 10,
    "drafts.send": 100,
    "drafts.list": 1,
    "drafts.get": 1,
    "drafts.update": 15,
    "drafts.delete": 10,
    "labels.list": 1,
    "labels.get": 1,
    "labels.create": 5,
    "history.list": 2,
    "threads.get": 40,
  },
};

/** Units per user per minute of each table. */
export const GMAIL_UNITS_PER_MINUTE: Readonly<
  Record<GmailCostTableName, number>
> = { legacy: 15_000, current: 6_000 };

/** The default table: the one Google publishes now. */
export const DEFAULT_GMAIL_COST_TABLE: GmailCostTableName = "current";
