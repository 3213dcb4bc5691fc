/**
 * Gmail labels: the system set every mailbox starts with, user labels
 * (`Label_N`), and name matching the way Gmail search does it.
 * @module
 */

/** A label as `labels.list` returns it. */
export interface Label {
  id: string;
  name: string;
  type: "system" | "user";
  messageListVisibility?: "show" | "hide";
  labelListVisibility?: "labelShow" | "labelShowIfUnread" | "labelHide";
  color?: { textColor?: string; backgroundColor?: string };
}

/** System label ids, in the order Gmail lists them. */
export const SYSTEM_LABEL_IDS: readonly string[] = [
  "CHAT",
  "SENT",
  "INBOX",
  "IMPORTANT",
  "TRASH",
  "DRAFT",
  "SPAM",
  "CATEGORY_FORUMS",
  "CATEGORY_UPDATES",
  "CATEGORY_PERSONAL",
  "CATEGORY_PROMOTIONS",
  "CATEGORY_SOCIAL",
  "STARRED",
  "UNREAD",
];

/** Labels a client may not add or remove with messages.modify. */
export const IMMUTABLE_LABEL_IDS: ReadonlySet<string> = new Set([
  "SENT",
  "DRAFT",
  "CHAT",
]);

type Visibility = Pick<Label, "messageListVisibility" | "labelListVisibility">;
const HIDE_HIDE: Visibility = {
  messageListVisibility: "hide",
  labelListVisibility: "labelHide",
};
const HIDE_SHOW: Visibility = {
  messageListVisibility: "hide",
  labelListVisibility: "labelShow",
};

/** Visibility fields Gmail reports on some system labels. */
const SYSTEM_VISIBILITY: Record<string, Visibility> = {
  CHAT: HIDE_HIDE,
  IMPORTANT: HIDE_SHOW,
  TRASH: HIDE_HIDE,
  SPAM: HIDE_HIDE,
  CATEGORY_FORUMS: HIDE_HIDE,
  CATEGORY_UPDATES: HIDE_HIDE,
  CATEGORY_PERSONAL: HIDE_HIDE,
  CATEGORY_PROMOTIONS: HIDE_HIDE,
  CATEGORY_SOCIAL: HIDE_HIDE,
  STARRED: HIDE_SHOW,
};

/** A fresh map of the system labels. */
export function systemLabels(): Map<string, Label> {
  const m = new Map<string, Label>();
  for (const id of SYSTEM_LABEL_IDS) {
    m.set(id, { id, name: id, ...SYSTEM_VISIBILITY[id], type: "system" });
  }
  return m;
}

/**
 * Normalises a label name for search: lower case, with `/`, spaces, `-`
 * and `_` treated alike (Gmail matches `label:agent-processed` against
 * "Agent/Processed").
 */
export function searchLabelKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s/_\-]+/g, "-");
}

/** Finds a label by search name (`label:X`) or id; undefined when none. */
export function findLabelForSearch(
  labels: Map<string, Label>,
  term: string,
): Label | undefined {
  const byId = labels.get(term) ?? labels.get(term.toUpperCase());
  if (byId && byId.type === "system") return byId;
  const key = searchLabelKey(term);
  for (const l of labels.values()) {
    if (searchLabelKey(l.name) === key) return l;
  }
  return byId;
}
