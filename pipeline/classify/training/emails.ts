/**
 * Hand-written whole training emails: greetings, signatures, quoted history,
 * HTML remnants, non-native English, and the many kinds of "Other" mail a
 * shop inbox gets (offers, applications, press, vendor invoices, thanks).
 * @module
 */

/** A labelled email. */
export interface Example {
  subject: string;
  body: string;
  label: "Question" | "Refund" | "Other";
}

const q = (subject: string, body: string): Example => ({
  subject,
  body,
  label: "Question",
});
const r = (subject: string, body: string): Example => ({
  subject,
  body,
  label: "Refund",
});
const o = (subject: string, body: string): Example => ({
  subject,
  body,
  label: "Other",
});

/** The whole emails. */
export const WHOLE_EMAILS: Example[] = [
  q(
    "Shipping to Canada?",
    "Hi there,\n\nI live in Toronto and would love to order the oak desk. Do you ship to Canada and how much does it cost?\n\nThanks!\nEmma",
  ),
  q(
    "return window",
    "Hello,\nHow long do I have to return an item if it doesn't fit? I bought a jacket as a gift.\nBest,\nLiam",
  ),
  q(
    "Refund policy question",
    "Hi, before I buy the sofa I want to understand your refund policy. If I don't like it after a week, can I still get a refund? Thanks",
  ),
  q("", "what is ur policy on refunds for sale stuff?? thx"),
  q(
    "Payment options",
    "Good afternoon,\n\nDo you take PayPal or only credit cards? My card is not working abroad.\n\nRegards,\nHans Müller\nMüller GmbH\nTel. +49 30 1234567",
  ),
  q(
    "Re: Your order ORD48211 has shipped",
    "Hi, the tracking link in your email doesn't open, can you tell me where my parcel is?\n\nOn Mon, 3 Mar 2025 at 10:02, Northwind Goods <orders@northwind.example> wrote:\n> Your order ORD48211 has shipped.\n> Track it here.",
  ),
  q(
    "invoice needed",
    "Dear team, for my company accounting I need an invoice with our VAT number for order #55120. How can I get it?\nKind regards\nSofia Rossi, Office Manager",
  ),
  q(
    "password",
    "i forgot my password and the reset mail never come. what can i do?",
  ),
  q(
    "Change address",
    "Hello, I made a mistake in the address for order ORD77310, the street number is 14 not 41. Can I still change it? It was ordered today.",
  ),
  q(
    "warranty",
    "<p>Hello,</p><p>My kettle stopped working after 5 months. Is it covered by warranty and how do I claim?</p><p>Thanks, Ana</p>",
  ),
  q(
    "Question about delivery",
    "Good day. Please, how many days is the delivery to Australia? I am need the gift before Christmas. Thank you very much. Rahul",
  ),
  q(
    "Delete account",
    "Hi, I don't use my account anymore. How do I delete it and what happens to my data?\n\nSent from my Galaxy",
  ),
  q(
    "gift card",
    "Hey! Do your gift cards expire? My aunt gave me one two years ago.\n-- \nTom",
  ),
  q(
    "discount code not working",
    "Hi, the code WELCOME10 says invalid at checkout. Why? I have 60 dollars in my cart.\nthanks\nMia",
  ),
  q(
    "Cancel before shipping?",
    "Hello, if I order today and change my mind tomorrow, can I cancel and is there a fee? Just asking before buying.\nRegards, Jon",
  ),
  q(
    "Exchange size",
    "Hi, the sweater I bought is too small. Can I exchange it for a bigger size or how does it work?\nLove your shop,\nEllie",
  ),
  q(
    "When will I be charged",
    "Hi, I pre-ordered the lamp. When will my card be charged? Thanks, Ben",
  ),
  q(
    "charged twice?",
    "Hello, my bank shows two charges for the same order ORD30021. Is this normal? I only ordered once.\n\nBest, Nora",
  ),
  q(
    "Opening hours",
    "Hi, are you open on Saturdays? What are your customer service hours? I would like to call.",
  ),
  q(
    "Tracking",
    "Bonjour, my order 88213 is marked shipped since 6 days but tracking not moving. Is normal? Merci, Julien",
  ),
  q(
    "",
    "Hi,\nHow do I change the email address on my account? I have a new job email.\nThanks,\nGreg",
  ),
  q(
    "Newsletter",
    "Please how do I stop the newsletter emails? I get 3 per week.\n\n---\nThis email was sent from a mobile device",
  ),
  q(
    "Size guide",
    "Hello! I'm between M and L in your size guide for the linen shirt. Which one do you recommend? xx Lea",
  ),
  q(
    "Furniture delivery time",
    "Hi, how long does it take to deliver a large wardrobe to Chicago? Do you bring it upstairs?\nThanks, Marcus",
  ),
  q(
    "Refunds to gift card?",
    "Hello, if I return something I paid with a gift card, where does the refund go? Just want to know how it works.\nBest, Iris",
  ),
  r(
    "Refund for order ORD12345",
    "Hi,\n\nI received my order ORD12345 yesterday but the lamp is broken. I would like a refund please.\n\nThanks,\nJane Doe",
  ),
  r(
    "I want my money back",
    "This is the third time I write. The chair you sent is wobbly and cheap. I want my money back NOW. Order 55432.\nDan",
  ),
  r(
    "Return and refund",
    "Hello,\nI returned the rug (order #40021) two weeks ago and the tracking says you received it. When will I get the refund? It still isn't on my card.\nRegards,\nPaolo",
  ),
  r(
    "Cancel my order please",
    "Hi, I just placed order ORD90012 by mistake, please cancel it and refund my card. Thank you, Lina",
  ),
  r(
    "refund",
    "hello i want refund for order ORD22331 the headphones not work since day one. please return money to my paypal. thank you. Ivan",
  ),
  r(
    "Re: Re: Damaged item",
    "OK, I've sent the photos. Please just refund me, I don't want a replacement.\n\nOn Tue, 4 Mar 2025, Support <help@northwind.example> wrote:\n> Sorry to hear that. Could you send photos of the damage?\n>\n> On Mon, Jane wrote:\n>> My mirror arrived cracked.",
  ),
  r(
    "Order ORD10293 - wrong item",
    "Dear Northwind,\n\nYou sent me a blue rug instead of the grey one I ordered. I'd like to send it back and get a full refund.\n\nKind regards,\nHelen Carter\n07700 900123",
  ),
  r(
    "Money back",
    "<div>Hi,</div><div>I'd like to get my money back for the desk, order ORD33456. It arrived scratched.</div><div><br></div><div>Best,<br>Omar</div>",
  ),
  r(
    "Double charge",
    "Hello, you charged my card twice for order ORD66012, 89.00 each. Please refund the duplicate charge. Thanks, Emily",
  ),
  r(
    "Not received",
    "Hi, my order ORD55109 never arrived, it's been a month. I want a refund instead of waiting more.\nMarta",
  ),
  r(
    "Reimbursement",
    "Good morning, I kindly request the reimbursement of order number 71234 as the product is not as described. Waiting for your answer. Best regards, Giulia Bianchi",
  ),
  r("cancel", "cancel order ORD44120 i dont need it anymore"),
  r(
    "refund status",
    "Hi team, you approved my refund for ORD20987 on the 3rd but I still don't see it. Can you check where it is? Thanks, Kevin",
  ),
  r(
    "Return",
    "Hello,\nI'd like to return the kettle from order ORD81234 and get my money back, it leaks.\nBest regards,\nSara\n\n> On 2 Feb, Northwind Goods wrote:\n> Thanks for your order!",
  ),
  o(
    "Partnership opportunity",
    "Hi Northwind team,\n\nI run a lifestyle blog with 200k monthly readers and would love to partner with you on a sponsored post. Let me know if you are interested!\n\nBest,\nChloe\nchloeliving.example",
  ),
  o(
    "Application for customer service position",
    "Dear Hiring Manager,\n\nPlease find attached my CV for the customer service role. I have 4 years of experience in e-commerce support.\n\nSincerely,\nDavid Kim",
  ),
  o(
    "Invoice INV-2231 from PackRight Ltd",
    "Dear customer,\n\nPlease find attached invoice INV-2231 for the packaging materials delivered on 2 March. Payment is due within 30 days.\n\nPackRight Ltd Accounts",
  ),
  o(
    "Thank you!",
    "Just wanted to say thanks, the sofa is beautiful and the delivery guys were great. Will recommend you to friends!\nAnna",
  ),
  o(
    "Press inquiry",
    "Hello, I'm a journalist at Home Weekly writing about sustainable furniture brands. Could someone from your team answer a few questions for the article?\nRegards, Mark Ellis",
  ),
  o(
    "SEO services",
    "Hi, I noticed your website is not ranking on Google first page. We can fix it for only $99/month. Reply for a free audit.",
  ),
  o(
    "Out of office",
    "I am out of the office until Monday 10 March with limited access to email. For urgent matters contact my colleague.",
  ),
  o(
    "Complaint about the courier",
    "Your delivery driver left my parcel in the rain and was rude when I asked him to carry it inside. This is not acceptable and I want you to know.\nRob",
  ),
  o(
    "Wholesale order",
    "Hello, we are a hotel chain and we would like to buy 300 bed sheet sets. Could your sales team contact us with a quote?\nBest, Procurement, Grand Hotels",
  ),
  o(
    "Let me speak to a person",
    "I don't want a bot. I want to talk to a real person at your company. Call me at 555-0133.",
  ),
  o(
    "Feedback",
    "Your new website design is hard to use, I couldn't find the search bar. Just letting you know.\nBye",
  ),
  o(
    "Re: your order",
    "Thanks, got it!\n\nOn Tue, Support wrote:\n> Your parcel has been delivered.",
  ),
  o(
    "Add item to my order",
    "Hi, could you add a second mug set to order ORD70112 before it ships? Same address. Thanks, Pia",
  ),
  o(
    "Change colour",
    "Hello, in order ORD33120 I chose the green chair, can you change it to black please? Thanks",
  ),
  o(
    "Supplier introduction",
    "Dear Sir/Madam, we are a manufacturer of ceramic tableware in Portugal and would like to present our catalogue to your buyers.\nBest regards, Luís",
  ),
  o(
    "Your account summary",
    "This is an automated message from your bank. Your monthly statement is available online. Do not reply to this email.",
  ),
  o(
    "Congratulations!!!",
    "You have been selected to win an iPhone. Click here to claim your prize now!!!",
  ),
  o(
    "Review of the lamp",
    "Five stars for the Nordic lamp, nice warm light. I'll leave a review on your site too.\nKatrin",
  ),
  o(
    "Meeting next week",
    "Hi, are we still on for the meeting with the logistics team on Thursday at 3? Let me know.\nJoe",
  ),
  o(
    "I want to buy",
    "Hello, I want to buy the oak table but it's not in stock online. Can you reserve one for me? Thanks, Pedro",
  ),
  o(
    "Fwd: newsletter",
    "---------- Forwarded message ---------\nFrom: Deals Weekly\nSubject: Top 10 deals this week\n\nCheck out these amazing deals...",
  ),
  o(
    "unhappy",
    "I am really disappointed. Twice now the packaging was damaged. Please improve this.\nSonia",
  ),
  o(
    "Collaboration",
    "Hey! We're an Instagram influencer agency. We'd like to send your products to our creators. Interested?",
  ),
  o(
    "Donation request",
    "Dear Northwind Goods, our school is organising a charity raffle. Would you donate a small item as a prize?\nMrs. Green, PTA",
  ),
];
