/**
 * The emulator answers the official @googleapis/gmail client like Gmail:
 * profile, list/get/send/modify, labels, drafts, history, errors.
 */
import assert from "node:assert/strict";
import { gmail, type gmail_v1 } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.ts";

const USER = "support@shop.test";

async function client(
  emu: TestEmulator,
  email = USER,
): Promise<gmail_v1.Gmail> {
  const { refresh_token } = await emu.addUser(email);
  const auth = new OAuth2Client({
    clientId: "cid",
    clientSecret: "secret",
    endpoints: { oauth2TokenUrl: `${emu.url}/token` },
  });
  auth.setCredentials({ refresh_token });
  return gmail({ version: "v1", auth, rootUrl: emu.url + "/" });
}

function b64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** The fields of a GaxiosError the assertions read. */
type GErr = {
  status?: number;
  message?: string;
  response?: {
    data?: {
      error?: {
        errors?: { reason: string; domain: string }[];
        status?: string;
      };
    };
  };
};

function reason(e: GErr): string | undefined {
  return e.response?.data?.error?.errors?.[0]?.reason;
}

function header(
  msg: gmail_v1.Schema$Message,
  name: string,
): string | undefined {
  return msg.payload?.headers?.find((h) =>
    h.name?.toLowerCase() === name.toLowerCase()
  )
    ?.value ?? undefined;
}

Deno.test("gmail emulator serves the official Gmail client", async (t) => {
  // The emulator's defaults are under test: Message-IDs kept.
  const emu = await startTestEmulator({ rewriteMessageIds: false });
  try {
    const api = await client(emu);

    await t.step("profile starts empty with a historyId", async () => {
      const { data } = await api.users.getProfile({ userId: "me" });
      assert.equal(data.emailAddress, USER);
      assert.equal(data.messagesTotal, 0);
      assert.match(data.historyId ?? "", /^\d+$/);
    });

    await t.step(
      "list omits `messages` when the mailbox is empty",
      async () => {
        const { data } = await api.users.messages.list({ userId: "me" });
        assert.deepEqual(data, { resultSizeEstimate: 0 });
      },
    );

    const delivered = await emu.deliver(USER, {
      from: "Ann Customer <ann@cust.test>",
      subject: "Où est ma commande ?",
      text: "Hello, order ORD12345 has not arrived.\nThanks, Ann",
    });

    await t.step(
      "get format=full gives headers, decoded subject and body data",
      async () => {
        const { data } = await api.users.messages.get({
          userId: "me",
          id: delivered.id,
        });
        assert.equal(data.id, delivered.id);
        assert.equal(data.threadId, delivered.id);
        assert.deepEqual(data.labelIds, ["INBOX", "UNREAD"]);
        assert.equal(header(data, "Subject"), "Où est ma commande ?");
        assert.match(
          header(data, "Message-ID") ?? "",
          /^<emu\.[0-9a-f]+@cust\.test>$/,
        );
        assert.equal(data.payload?.partId, "");
        assert.equal(data.payload?.mimeType, "text/plain");
        const body = new TextDecoder().decode(
          Uint8Array.from(
            atob(
              (data.payload?.body?.data ?? "").replaceAll("-", "+").replaceAll(
                "_",
                "/",
              ),
            ),
            (c) => c.charCodeAt(0),
          ),
        );
        assert.equal(
          body.trim(),
          "Hello, order ORD12345 has not arrived.\nThanks, Ann",
        );
        assert.match(data.snippet ?? "", /^Hello, order ORD12345/);
        assert.match(data.internalDate ?? "", /^\d+$/);
        assert.ok((data.sizeEstimate ?? 0) > 100);
      },
    );

    await t.step(
      "get format=raw round-trips and metadata honours metadataHeaders",
      async () => {
        const raw = await api.users.messages.get({
          userId: "me",
          id: delivered.id,
          format: "raw",
        });
        const text = atob(
          (raw.data.raw ?? "").replaceAll("-", "+").replaceAll("_", "/"),
        );
        assert.match(text, /^From: /m);
        assert.equal(raw.data.payload, undefined);
        const meta = await api.users.messages.get({
          userId: "me",
          id: delivered.id,
          format: "metadata",
          metadataHeaders: ["From", "Subject"],
        });
        assert.deepEqual(meta.data.payload?.headers?.map((h) => h.name), [
          "From",
          "Subject",
        ]);
        const minimal = await api.users.messages.get({
          userId: "me",
          id: delivered.id,
          format: "minimal",
        });
        assert.equal(minimal.data.payload, undefined);
      },
    );

    await t.step("get of an unknown id is Google's 404", async () => {
      await assert.rejects(
        api.users.messages.get({ userId: "me", id: "ffffffffffffffff" }),
        (e: GErr) => e.status === 404 && reason(e) === "notFound",
      );
    });

    let labelId = "";
    await t.step(
      "labels: system labels listed, user label created, duplicate is 409",
      async () => {
        const list = await api.users.labels.list({ userId: "me" });
        const ids = (list.data.labels ?? []).map((l) => l.id);
        for (
          const id of [
            "INBOX",
            "SENT",
            "DRAFT",
            "UNREAD",
            "SPAM",
            "TRASH",
            "IMPORTANT",
            "STARRED",
            "CATEGORY_PERSONAL",
          ]
        ) {
          assert.ok(ids.includes(id), id);
        }
        const created = await api.users.labels.create({
          userId: "me",
          requestBody: {
            name: "Agent/Processed",
            labelListVisibility: "labelShow",
            messageListVisibility: "show",
          },
        });
        assert.match(created.data.id ?? "", /^Label_\d+$/);
        assert.equal(created.data.type, "user");
        labelId = created.data.id!;
        await assert.rejects(
          api.users.labels.create({
            userId: "me",
            requestBody: { name: "agent/processed" },
          }),
          (e: { status?: number; message?: string }) =>
            e.status === 409 && e.message === "Label name exists or conflicts",
        );
      },
    );

    let historyBefore = "";
    await t.step(
      "modify adds/removes labels; an unknown label is 400 invalidArgument",
      async () => {
        historyBefore = (await api.users.getProfile({ userId: "me" })).data
          .historyId!;
        const { data } = await api.users.messages.modify({
          userId: "me",
          id: delivered.id,
          requestBody: { addLabelIds: [labelId], removeLabelIds: ["UNREAD"] },
        });
        assert.deepEqual(data, {
          id: delivered.id,
          threadId: delivered.threadId,
          labelIds: ["INBOX", labelId],
        });
        await assert.rejects(
          api.users.messages.modify({
            userId: "me",
            id: delivered.id,
            requestBody: { addLabelIds: ["Label_99"] },
          }),
          (e: GErr) =>
            e.status === 400 && reason(e) === "invalidArgument" &&
            e.message === "Invalid label: Label_99",
        );
      },
    );

    await t.step(
      "history lists labelAdded and labelRemoved after the previous historyId",
      async () => {
        const { data } = await api.users.history.list({
          userId: "me",
          startHistoryId: historyBefore,
        });
        const kinds = (data.history ?? []).map((h) =>
          Object.keys(h).filter((k) => k !== "id" && k !== "messages")[0]
        );
        assert.deepEqual(kinds, ["labelsAdded", "labelsRemoved"]);
        assert.deepEqual(data.history?.[0]?.labelsAdded?.[0]?.labelIds, [
          labelId,
        ]);
        assert.deepEqual(data.history?.[1]?.labelsRemoved?.[0]?.labelIds, [
          "UNREAD",
        ]);
        const onlyAdded = await api.users.history.list({
          userId: "me",
          startHistoryId: historyBefore,
          historyTypes: ["messageAdded"],
        });
        assert.equal(onlyAdded.data.history, undefined);
        assert.equal(
          onlyAdded.data.historyId,
          (await api.users.getProfile({ userId: "me" })).data.historyId,
        );
      },
    );

    let sentId = "";
    await t.step(
      "send keeps threadId for a proper reply and returns SENT",
      async () => {
        const original = await api.users.messages.get({
          userId: "me",
          id: delivered.id,
          format: "metadata",
        });
        const msgId = header(original.data, "Message-ID")!;
        const raw = b64url(
          `From: ${USER}\r\nTo: ann@cust.test\r\nSubject: Re: Où est ma commande ?\r\nIn-Reply-To: ${msgId}\r\nReferences: ${msgId}\r\nMessage-ID: <reply-1@shop.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIt ships tomorrow.\r\n`,
        );
        const { data } = await api.users.messages.send({
          userId: "me",
          requestBody: { raw, threadId: delivered.threadId },
        });
        assert.deepEqual(data.labelIds, ["SENT"]);
        assert.equal(data.threadId, delivered.threadId);
        sentId = data.id!;
        const sent = await emu.sent(USER);
        assert.equal(sent.length, 1);
        assert.equal(sent[0]?.id, sentId);
        assert.match(sent[0]!.rfc822, /Message-ID: <reply-1@shop\.test>/);
        const found = await api.users.messages.list({
          userId: "me",
          q: "rfc822msgid:reply-1@shop.test",
        });
        assert.deepEqual(found.data.messages, [{
          id: sentId,
          threadId: delivered.threadId,
        }]);
      },
    );

    await t.step(
      "send without references or with another subject starts a new thread",
      async () => {
        const raw = b64url(
          `To: ann@cust.test\r\nSubject: Something else\r\n\r\nHi\r\n`,
        );
        const { data } = await api.users.messages.send({
          userId: "me",
          requestBody: { raw, threadId: delivered.threadId },
        });
        assert.notEqual(data.threadId, delivered.threadId);
        assert.equal(data.threadId, data.id);
        const sent = await emu.sent(USER);
        assert.match(
          sent[1]!.rfc822,
          /^Message-ID: <.+>\r?$/m,
          "Gmail adds a Message-ID",
        );
        assert.match(
          sent[1]!.rfc822,
          /^From: support@shop\.test\r?$/m,
          "Gmail adds From",
        );
      },
    );

    await t.step(
      "a send with an unknown threadId is 400 Invalid thread_id value",
      async () => {
        const raw = b64url(`To: ann@cust.test\r\nSubject: x\r\n\r\nHi\r\n`);
        await assert.rejects(
          api.users.messages.send({
            userId: "me",
            requestBody: { raw, threadId: "abcdef0123456789" },
          }),
          (e: GErr) =>
            e.status === 400 && e.message === "Invalid thread_id value",
        );
      },
    );

    await t.step("a send without raw is 400 like Gmail", async () => {
      await assert.rejects(
        api.users.messages.send({ userId: "me", requestBody: {} }),
        (e: { status?: number; message?: string }) =>
          e.status === 400 &&
          /'raw' RFC822 payload message string/.test(e.message ?? ""),
      );
    });

    await t.step(
      "drafts.create returns {id, message:{id, threadId, labelIds:[DRAFT]}}",
      async () => {
        const raw = b64url(
          `To: ann@cust.test\r\nSubject: Draft reply\r\n\r\nDraft body\r\n`,
        );
        const { data } = await api.users.drafts.create({
          userId: "me",
          requestBody: { message: { raw } },
        });
        assert.match(data.id ?? "", /^r\d+$/);
        assert.deepEqual(data.message?.labelIds, ["DRAFT"]);
        const drafts = await emu.drafts(USER);
        assert.equal(drafts[0]?.id, data.id);
        assert.equal(drafts[0]?.messageId, data.message?.id);
        assert.match(drafts[0]!.rfc822, /Draft body/);
      },
    );

    await t.step(
      "threads.get returns the thread's messages oldest first",
      async () => {
        const { data } = await api.users.threads.get({
          userId: "me",
          id: delivered.threadId,
          format: "metadata",
          metadataHeaders: ["Subject"],
        });
        assert.equal(data.id, delivered.threadId);
        assert.deepEqual(data.messages?.map((m) => m.id), [
          delivered.id,
          sentId,
        ]);
        assert.deepEqual(data.messages?.[1]?.payload?.headers, [
          { name: "Subject", value: "Re: Où est ma commande ?" },
        ]);
        assert.match(data.historyId ?? "", /^\d+$/);
      },
    );

    await t.step("history.list filters by labelId", async () => {
      const { data } = await api.users.history.list({
        userId: "me",
        startHistoryId: historyBefore,
        labelId: "SENT",
      });
      const ids = (data.history ?? []).flatMap((h) =>
        h.messages?.map((m) => m.id) ?? []
      );
      assert.ok(ids.includes(sentId));
      assert.ok(!ids.includes(delivered.id));
    });

    await t.step("the user's own email works as userId", async () => {
      const { data } = await api.users.getProfile({ userId: USER });
      assert.equal(data.emailAddress, USER);
    });

    await t.step("a userId naming another mailbox is 403", async () => {
      await assert.rejects(
        api.users.getProfile({ userId: "someone@else.test" }),
        (e: { status?: number }) => e.status === 403,
      );
    });
  } finally {
    await emu.close();
  }
});
