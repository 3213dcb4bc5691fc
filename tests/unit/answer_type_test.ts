/**
 * missingMeasures(): an ask that gives an age, a weight, a distance or asks
 * a rate is not answered by a section that never speaks of that measure.
 */
import assert from "node:assert/strict";
import { missingMeasures } from "../../pipeline/answer/answer_type.ts";

const TEST_RIDES =
  "You can test ride any bike in stock at our store. Bring a photo ID. Test rides of e-bikes last up to 30 minutes.";
const INSTALMENTS =
  "You can pay in 4 interest-free instalments with Klarna. For bikes over $1,000 we also offer 12 monthly payments through Affirm.";

Deno.test("missingMeasures() finds an age the section never speaks of", () => {
  assert.deepEqual(
    missingMeasures("Can my 15 year old son test ride an e-bike?", TEST_RIDES),
    ["age"],
  );
  assert.deepEqual(
    missingMeasures(
      "Can my 15 year old son test ride?",
      "Riders under 16 need a parent present.",
    ),
    [],
  );
});

Deno.test("missingMeasures() finds a weight or a distance the section lacks", () => {
  assert.deepEqual(
    missingMeasures("I'm 130 kg, is that ok for a test ride?", TEST_RIDES),
    ["weight"],
  );
  assert.deepEqual(
    missingMeasures(
      "My commute is 40 km, can I test ride that far?",
      TEST_RIDES,
    ),
    ["distance"],
  );
});

Deno.test("missingMeasures() leaves a rate to a section that speaks of interest", () => {
  assert.deepEqual(
    missingMeasures("What interest rate does Affirm charge?", INSTALMENTS),
    [],
  );
  assert.deepEqual(
    missingMeasures("What interest rate does Affirm charge?", TEST_RIDES),
    ["percent"],
  );
});

Deno.test("missingMeasures() asks nothing of an ask without a measure", () => {
  assert.deepEqual(missingMeasures("Do you take Amex?", TEST_RIDES), []);
});

Deno.test("missingMeasures() reads '16 and over' as speaking of ages", () => {
  assert.deepEqual(
    missingMeasures(
      "Can my 14 year old use the sauna?",
      "The sauna is open to guests aged 16 and over.",
    ),
    [],
  );
  assert.deepEqual(
    missingMeasures(
      "Can my 14 year old use the sauna?",
      "Guests 16 and over may use the sauna.",
    ),
    [],
  );
});

Deno.test("missingMeasures() does not read opening hours as ages", () => {
  assert.deepEqual(
    missingMeasures(
      "Can my 15 year old son test ride an e-bike?",
      "Open Tuesday to Sunday from 10:00 to 18:00. Bring a photo ID.",
    ),
    ["age"],
  );
});

Deno.test("missingOfferings() finds a numbered plan or pack the section never names", async () => {
  const { missingOfferings } = await import(
    "../../pipeline/answer/answer_type.ts"
  );
  const plans =
    "Each plan may be taken as a 30-day rolling plan or as a 12-month plan.";
  assert.deepEqual(missingOfferings("Do you do a 24 month plan?", plans), [
    "24 month plan",
  ]);
  assert.deepEqual(
    missingOfferings("Is the 12 month plan cheaper?", plans),
    [],
  );
  assert.deepEqual(
    missingOfferings(
      "How much would a pack of 20 PT sessions be?",
      "Packs of 5 or 10 sessions.",
    ),
    ["pack of 20"],
  );
  // A number that is not an offering ("after 4 years") is left alone.
  assert.deepEqual(
    missingOfferings("My battery died after 4 years, is it covered?", plans),
    [],
  );
});

Deno.test("missingNames() finds a name of several words the section never writes, word by word in index form", async () => {
  const { missingNames } = await import(
    "../../pipeline/answer/answer_type.ts"
  );
  const holidays =
    "Christmas Eve: all clubs close at 4pm. New Year's Day: all clubs open 10am to 4pm.";
  assert.deepEqual(
    missingNames("Are you open on New Year's Eve?", holidays),
    ["New Year's Eve"],
  );
  assert.deepEqual(
    missingNames("Are you open on New Year's Day?", holidays),
    [],
  );
  // "American Express" is written "Amex" (the phrasebook folds them).
  assert.deepEqual(
    missingNames(
      "Do you take American Express?",
      "We accept Visa, Mastercard, Amex and cash.",
    ),
    [],
  );
  // One capitalised word, and the first word of a sentence, are not names here.
  assert.deepEqual(
    missingNames("Is roaming free in Spain? Can I use it?", "Europe: free."),
    [],
  );
});

Deno.test("namesIn() and placesIn(): one-word names mid-sentence and places after in/to/from/near, not acronyms, months or the first word", async () => {
  const { namesIn, placesIn } = await import(
    "../../pipeline/answer/answer_type.ts"
  );
  assert.deepEqual(
    namesIn("Is my Samsung galaxy A54 ok for an eSIM? Does the SIM work?"),
    ["Samsung", "A54"],
  );
  assert.deepEqual(namesIn("Hi, is there parking at the Kirkgate gym?"), [
    "Kirkgate",
  ]);
  assert.deepEqual(
    placesIn(
      "I live in Honolulu. I'm moving to Bristol in March. I bought it from EE.",
    ),
    ["Honolulu", "Bristol"],
  );
  // A greeting's place says nothing of what is asked.
  assert.deepEqual(placesIn("Greetings from Poland, Jan. Hello from Oslo"), []);
});

Deno.test("names and places in an email in capitals or Title Case: capitals mark no name there, 'live in' and 'ship to' still mark a place", async () => {
  const { missingNames, namesIn, placesIn } = await import(
    "../../pipeline/answer/answer_type.ts"
  );
  const returns = "Return labels cost $5, which we deduct from your refund.";
  for (
    const ask of [
      "HOW MUCH DOES IT COST TO SEND IT BACK?",
      "How Much Does It Cost To Send It Back?",
      "How Much Is Shipping to Canada?",
    ]
  ) {
    assert.deepEqual(missingNames(ask, returns), [], ask);
    assert.deepEqual(namesIn(ask), [], ask);
  }
  // A short sentence that names something still marks it.
  assert.deepEqual(
    missingNames(
      "Are you open on Christmas Day, and what about New Year's Eve?",
      "Christmas Day: closed. New Year's Day: 10am to 4pm.",
    ),
    ["New Year's Eve"],
  );
  assert.deepEqual(
    placesIn("HI! I LIVE IN HONOLULU. CAN YOU SHIP AN E-BIKE TO ME?"),
    ["HONOLULU"],
  );
  assert.deepEqual(
    placesIn("Hi! I Live In Honolulu. Can You Ship An E-Bike To Me?"),
    ["Honolulu"],
  );
  assert.deepEqual(placesIn("PLEASE SEND IT TO THE SHOP IN THE BOX."), []);
});

Deno.test("farNames(): a name the section neither writes nor comes near in meaning", async () => {
  const { farNames } = await import("../../pipeline/answer/answer_type.ts");
  const near = (w: string, text: string) =>
    /hawaii/i.test(text) && w === "Honolulu" ? 0.73 : 0.09;
  const shipping = "We do not ship to Alaska or Hawaii.";
  const assembly = "Bikes ship 90% assembled with the tools in the box.";
  assert.deepEqual(farNames(["Honolulu"], shipping, near), []);
  assert.deepEqual(farNames(["Honolulu"], assembly, near), ["Honolulu"]);
  // A name the section writes is never far.
  assert.deepEqual(
    farNames(["Kirkgate"], "Kirkgate has 40 spaces.", () => 0),
    [],
  );
});
