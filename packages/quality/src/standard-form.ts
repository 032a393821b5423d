import { parseForm, type FormDefinition } from './form.ts';
import type { Signal } from './rules.ts';

/**
 * The standard form, shipped as a built-in template: eight yes/no questions weighed equally, two of them critical,
 * each answered by rules over the transcript. The phrase sets are the form's data, not code: an analyst copies the
 * template and edits them. (Phrase syntax: phrases.ts.)
 */

const agent = ['agent'] as const;
const companySide = ['agent', 'bot'] as const;

const salutations =
  "[hi|hello|hey|hiya|heya|howdy|greetings|welcome|good morning|good mornin|good afternoon|good evening|good evenin|good day|g'day|gday|morning|mornin|afternoon|evening|hey there|hi there|hello there|how are ya|how are you|how's it going|howzit|" +
  // The same in other languages and dialects, as agents answer in them.
  'namaste|namaskar|vanakkam|ayubowan|gyebale ko|oli otya|mangwanani|mhoroi|whaddaya at|kalimera|kalispera|selamat malam|wuh happenin|alright there|sat sri akal|kia ora|talofa|bula|aloha|hola|buenos dias|buenas tardes|buenas noches|buenas|bonjour|bonsoir|salut|buongiorno|buonasera|ciao|salve|bom dia|boa tarde|olá|guten tag|guten morgen|moin|servus|grüezi|gruezi|hallo|hej|goedemorgen|goedemiddag|dzień dobry|dobry den|yassas|merhaba|selam|salam|salaam|assalamu alaikum|as salamu alaykum|marhaba|ahlan|shalom|sawasdee|xin chao|ni hao|nei ho|konnichiwa|annyeonghaseyo|selamat pagi|selamat siang|selamat petang|apa khabar|mabuhay|kumusta|magandang umaga|magandang hapon|jambo|habari|hujambo|karibu|akwaaba|sannu|bawo ni|kedu|sawubona|dumela|molo|bongu|bore da|prynhawn da|shwmae|alreet|bout ye|wagwan|wah gwaan|top of the morning]';

const greetingWords: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  firstTurns: 2,
  phrases: [
    salutations,
    // Thanks for waiting ("thanks for holding") is not a welcome; "how can I help?" and "you're speaking with" are
    // not salutations either, so a bare telephone answer ("Riverside Water, this is Angela, how may I help?") is no.
    '[thank you|thanks|thankyou|thanks so much|thank you so much] for [calling|contacting|ringing|phoning|getting in touch|reaching out|choosing|chatting|your call|your message|messaging|writing in]',
    "[welcome to|you have reached|you've reached|you're through to|you are through to|you're on to|you're onto]",
    'dear [customer|valued customer|sir|madam|member]',
  ],
};

const introduction: Signal = {
  kind: 'any',
  of: [
    {
      kind: 'phrases',
      speakers: [...agent],
      firstTurns: 2,
      name: true,
      phrases: [
        "[my name is|my name's|my names|name is|name's|this is|it's|its|i am|i'm|im|myself|you're speaking [to|with]|you are speaking [to|with]|you're talking [to|with]|you are talking [to|with]|you're through to|you are through to|you're on to|you're onto|you've got|you have|speaking with|chatting with|you're chatting with|you are chatting with] *",
        '[thank you|thanks] for [calling|contacting|choosing|ringing|phoning|reaching out to|getting in touch with|messaging|writing to] *',
        "[welcome to|you've reached|you have reached|calling from|here at|with] *",
        // A company named straight after the salutation: "Hello, Bayside Dental" (not a department: "Morning, council tax").
        `^ ${salutations} *`,
      ],
    },
    { kind: 'phrases', speakers: [...agent], firstTurns: 2, phrases: ['* [speaking|here]'], name: true, negatable: false },
  ],
};

/** Personal details the customer gives: what a recording notice must come before. */
const customerDetails: Signal = { kind: 'identifier', speakers: ['customer'] };

const recordingNotice: Signal = {
  kind: 'phrases',
  speakers: [...companySide],
  phrases: [
    "[call|calls|call's|conversation|conversations|line|lines|line's|chat|chat's|this] ~ [recorded|monitored|recording|monitoring|taped]",
    '[we|I] [record|monitor|may record|may monitor|will record|are recording|am recording] ~ [calls|call|conversation|conversations|this]',
    '[recorded|monitored|recording] [for|to] ~ [quality|training|security|compliance|monitoring|our records|record]',
    '[quality|training] and? [monitoring|training|quality]? purposes',
  ],
};

/** The agent saying the record is open ("I've got your account up"): a record is looked at, nothing of it said yet. */
const recordOpened: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    "[I've|I have|I've now|I] [got|found|pulled up|brought up|located|opened] [your|the] [account|details|record|records|file|order|booking|policy|profile|reservation|claim|checking|savings] [up|here|open|now|ending]?",
  ],
};

/** The agent saying or changing what is on the customer's account. */
const accountDetails: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    'your ~ [balance|last payment|bill|statement|payment|payments|transactions|transaction|direct debit|standing order|overdraft|credit limit|limit|policy|claim|order|parcel|booking|reservation|appointment|prescription|subscription|plan|contract|tariff|meter reading|usage|loan|mortgage|application|refund|account|flight|premium|excess|delivery|due date|certification|benefit|benefits|payment date|arrears|debt|invoice|return|renewal|visit] [is|was|shows|has|went|came|will|are|were|says|expires|expired|renews|renewed|ends|ended|runs|ran|due|been|started|finished|cleared|left|arrived|dispatched|shipped]',
    '[I can|I could|I] see [that|here|on|your|there|the|a|you|this|it|an|two|three|a couple|some|several|multiple|international|recent] ~ [payment|payments|charge|charges|transaction|transactions|balance|order|booking|account|bill|policy|claim|appointment|plan|usage|direct debit|refund|parcel|delivery|cancellation|flight|reservation|renewal|premium|prescription|record|records|history|note|notes|meter|reading|debit|credit|pounds|dollars|euros|booked|ordered|paid|owe|international|roaming|calls to|calls from|texts to|data usage|#]',
    "[I've|I have|I just|I've just|I've now|I have now] ~ [cancel-|update-|change-|chang-|block-|freeze|frozen|unblock-|reset|refund-|credit-|reissue-|rebook-|amend-|waive-|reverse-|process-|switch-|upgrade-|downgrade-|apply-|remove-|add-|moved|move|link-|unlink-|reactivat-|deactivat-|restor-|reinstat-|lift-|disconnect-|reconnect-|suspend-] [your|the|that|this|it|a|an|you]",
    "[I see|I can see|I've got|I have got|I've found|I found|I've pulled up|I've brought up|I'm looking at|I can see here] [the|your|a|an|two|three|that|it's|its|there's|you|you're|you've|you have|you are|permit|order|booking|account|policy|claim|payment|payments|reservation|ticket|case|parcel|prescription|request|appointment|refill|application|invoice|statement|bill|loan|card|flight|itinerary|charge|charges|transaction|transactions|#] *",
    "^ your [deposit|rent|tenancy|permit|membership|points|balance|licence|license|registration|results|result|prescription|prescriptions|medication|medicines|refill|order|parcel|shipment|booking|flight|itinerary|ticket|seat|claim|policy|premium|excess|cover|plan|contract|subscription|package|bundle|bill|invoice|statement|payment|instalment|direct debit|loan|mortgage|overdraft|limit|account|card|appointment|referral|application|case|request|complaint|refund|credit|fee|fine|penalty|arrears|debt|meter|reading|usage|tariff|allowance|data] [is|are|was|were|has|have|will|'s]",
    'your * [and your? *]? [is|are|was|were|has been|have been] [both|all|now|already]? [here|in]? [due|ready|overdue|expired|approved|declined|cancelled|canceled|booked|pending|protected|delivered|dispatched|shipped|active|suspended|blocked|frozen|closed|open|paid|unpaid|outstanding|renewed|scheduled|on hold|in arrears]',
    "[it was|it's been|it has been|that was|they were|it got|they've been|it's] [delivered|signed for|collected|dispatched|shipped|returned|picked up|left at|left with|out for delivery]",
    "[that's|this is|here's|I've got|there's] [the|your] ~ [account|claim|booking|order|policy|record|file|reservation|case|ticket|appointment|prescription|refill|sailing|flight|subscription|plan|contract] [for|from|on|with|at|ending]?",
    // What happened to the record, said of it: "the claim's been assessed", "the cheque was received on the 4th".
    "[the|your|that|this] [claim|order|booking|policy|parcel|package|consignment|shipment|container|payment|cheque|check|application|case|repair|job|appointment|reservation|refund|transfer|deposit|withdrawal|invoice|bill|subscription|membership|loan|prescription|referral|complaint|request] ['s been|has been|was|were|had been|got] [already|just|only|never|not]? -ed",
    'your last [purchase|payment|order|bill|visit|transaction|delivery|top up|top-up|statement|reading|appointment|claim|renewal|invoice]',
    '[last|previous|most recent] [visit|appointment|consultation|check-up|checkup]',
    "[that's|that is|it's|it is|that's now|it's now|that's been|it's been|all] [updated|changed|cancelled|canceled|removed|added|moved|switched|blocked|unblocked|closed|reset|amended|done|sorted|processed|refunded|credited]",
    "[I have|I've got|I see|I can see] your * ending",
    "[you are|you're] [currently]? on [the|our|a] ~ [plan|tariff|package|contract|rate|bundle]",
    "[you've|you have] [used|spent|been charged|missed]",
    '^ your [order|booking|reservation|account|balance|bill|statement|policy|claim|appointment|results|test results|result|cholesterol|blood|prescription|card|payment|refund|parcel|delivery|plan|contract|tariff|loan|mortgage|application|flight|ticket|subscription|renewal|premium|meter|usage|certification|benefit|benefits|case|arrears|debt|direct debit|current|checking|savings]',
    '[order|booking|account|policy|claim|reference|case|ticket] [number]? #',
    "[there was|there were|there's been|there have been|there has been] [a|one|two|three|some]? [purchase|purchases|payment|payments|charge|charges|transaction|transactions|withdrawal|withdrawals|deposit|deposits|refund|delivery attempt]",
    "[there's|there is] ~ [outstanding|owing|overdue|left to pay|in arrears|on the account|on your account]",
    "[there's|there are|there were|there was] [a|one|two|three|four|five|some|several]? [calls|call|texts|charges|payments|transactions|withdrawals|purchases|orders|bookings|claims] [to|from|on|for|of|in|at]",
    '[that|this|the] [card|order|account|booking|parcel|payment|policy|claim|reservation] [has been|was|is now|has|had] [used|dispatched|delivered|shipped|cancelled|canceled|paid|processed|charged|updated|closed|suspended|blocked]',
    '[updated|changed|cancelled|canceled|removed|added|moved|switched|blocked|frozen|closed|opened|set up|amended|applied] [on|to|for|from] your',
    '[looking|checking|pulling up|bringing up|having a look] [at|up]? your [account|details|record|records|file|order|booking|policy|bill|statement]',
    'you [owe|were charged|have been charged|currently owe|still owe] #?',
    "there's [a|one|two] [charge|payment|transaction|debit|credit|refund|order|booking] [of|for|on|from|pending]",
  ],
};

/** The ways an agent asks for something: "can I take your X", "what's the X", "and your X?"; `between`: what may come before X. */
const askingFor = (things: string, between = '~ ~') => [
  `[can|could|may|what's|what is|what was|confirm|give|gimme|tell|need|take|have|get|grab|provide|pop|read|also|please|verify|check|just|share|send] ${between} ${things}`,
  `^ [ok|okay|right|thanks|thank you|great|lovely|perfect]? [and|plus|also|then]? [your|the|the answer to your|his|her|their]? [-'s]? ${things}`,
];

/** What proves who the customer is, asked of them: things only they would know. */
const secrets =
  '[date of birth|dob|d.o.b|birth date|birthdate|security [question|questions|answer|answers|word|number|code|check|checks|details|pin]|memorable [word|information|date|answer|question]|last [four|4|two|three|six|2|3|6] [digits|numbers|characters|letters|of]|one time [code|passcode|password|pin]|amount of [your|the] last payment|last payment amount|one-time [code|passcode|pin|password]|otp|verification code|authenticator code|[six|6|four|4|eight|8] digit code|code [from|in|on|showing in|showing on] [your|the] [app|authenticator|authenticator app|phone|text|sms]|security code|passcode|[account|secret|support]? pin|pin number|password|social security|ssn|national insurance|ni number|social insurance number|maiden name|first school|first pet|place of birth|voice id|voiceprint]';

/** Where the customer lives: a verifier, but also how faults, leaks and missed bins are reported, so no sign of a record. */
const places =
  '[postcode|post code|postal code|zip code|zip|eircode|pin code|address|home address|billing address|registered address|property address|service address|street address|delivery address|postal address|installation address|supply address|install address|site address|site postcode|address on [the|your]? [account|file|record|policy]|first line of [your|the]? address]';

/** National identity and tax numbers, treated like a national insurance number. */
const nationalIdNames =
  "[id number|id card|id card number|identity card|identity card number|business number|company number|vat number|abn|ein|identity number|national id|national id number|national identity number|national insurance number|tax number|tax id|tax file number|tin|trn|sin|pps|pps number|ssn|social insurance number|aadhaar|aadhaar number|pan|pan number|nric|fin number|hkid|hkid number|cnic|cnic number|nin|nin number|ghana card|ghana card number|emirates id|civil id|iqama|mykad|ic number|pesel|bsn|cpf|curp|dni|nie|nif|codice fiscale|personnummer|cpr number|voter id|voter card|bvn|bvn number|driver's licence number|driver's license number|driving licence number|driver licence number|driver license number|nid|nid number|nic|nic number|omang|omang number|national registration number|citizenship number|citizenship certificate|citizenship certificate number|national identity card|passport number|citizen card|resident card|residence card|residence permit number]";
/** One asked for: after "your" or "the" (a member ID is a lookup key), or someone else's ("the policyholder's ID number"). */
const nationalIds = [`[your|the|an|their|his|her] [own]? ${nationalIdNames}`, `and ${nationalIdNames}`, ...askingFor(`-'s ${nationalIdNames}`)];

/** Numbers that find a record but prove nothing about who is calling. */
const lookupKeys =
  '[[account|order|booking|pnr|record locator|pawn ticket|pawn|kit|farmer card|bill|instruction|stand|matter|transponder|ski pass|pass|hire|donor|learner|loan|smartcard|smart card|passenger|pupil|tenancy|warranty|installation|pcn|notice|citation|violation|penalty|berth|plot|pitch|locker|pallet|consignment|shipment|waybill|container|parcel|package|policy|claim|reference|tracking|case|ticket|member|membership|customer|client|job|job sheet|work order|repair|service|file|confirmation|reservation|invoice|player|user|meter|serial|registration|student|enrolment|enrollment|patient|hospital|supporter|permit|licence|license|application|contract|subscriber|loyalty|rewards|workspace|company|business|employer|rental|agreement|rental agreement|vehicle|unit|flat|apartment|property|device|imei|sim] [number|no|id|reference|ref|code]|unit|mprn|[name|surname|last name|full name|first name|company name|business name] on the [account|booking|reservation|order|policy|ticket|file|contract|agreement]|[vehicle|car|van]? [registration|reg|rego|number plate|licence plate|license plate|plate]|bill of lading]';

/**
 * The agent asking for something that verifies who the customer is. A lookup key alone — an account, order or
 * booking number, a name — finds a record but proves nothing, so it does not count.
 */
const secretRequest: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    // A birthday is asked for as a date of birth is; told unasked it is only a date ("her birthday is Saturday").
    ...askingFor(`[${secrets}|birthday]`),
    // One of several things asked for: "account number and last four of your Social?" (not "expiry and the security
    // code?", a card payment's, or "enter the code, your date of birth and zip code", instructions).
    'and [the|your]? last [four|4|two|three|six|2|3|6] [digits|numbers|of] ~ ?',
    // Part of a secret: "the 2nd and 5th characters of your memorable word".
    `[characters|letters|digits|numbers] [of|from] [your|the] ${secrets}`,
    // However many words come between: "your 4-digit account PIN".
    'your ~ [pin|passcode]',
    ...nationalIds,
    '[to|just to|so I can] [verify|identify] [you|your identity|the account holder]?',
    '[verify|confirm|check] [your|the] [identity|id|account holder|details]',
    '[verify|identify] you',
    'for [security|data protection|verification|gdpr|privacy] [purposes|reasons]?',
    '[through|pass|clear|complete|do|run] [security|verification|data protection|the security|some security|a security|a few security|quick security]',
    "[i've|I have|we've|we have] [sent|texted|emailed] ~ [code|passcode|pin|one-time|verification]",
    // A push prompt to approve in the company's app, counted like a one-time code.
    '[approve|accept|confirm|tap approve on] [the|a|that]? [request|prompt|notification|push|verification request|login request] [in|on|from] [your|the|our] ~ app',
    "[I'll|I will|I'm going to|I am going to|let me|I'm just going to|I'll just|we'll|we will] [just]? [text|send|email] ~ [code|passcode|pin|one-time|verification]",
  ],
};

// Only a kind of address may come between: "what's the new address?" asks where to move the record, not to verify it.
const placeKinds = '[full|delivery|billing|registered|home|property|service|supply|installation|postal|current|street|site|registered office|office|business]?';
const placeRequest: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    ...askingFor(`${placeKinds} ${places}`, '[me|us]? [your|the|his|her|their]?'),
    // One of several things asked for: "can I have the account number and service address?".
    `and [your|the|his|her|their]? ${placeKinds} ${places}`,
  ],
};
const verificationRequest: Signal = { kind: 'any', of: [secretRequest, placeRequest] };

/** A verifier the customer gives unasked: "my policy is B R T 440291 and my date of birth is the sixth of July". */
const volunteeredVerifier: Signal = {
  kind: 'phrases',
  speakers: ['customer'],
  phrases: [`[my|her|his|our|the] ${secrets} [is|'s|was|are|would be]`, "[I was|I'm|I am|she was|he was] born [on|in]"],
};

/** A place held on a record ("the postcode on the policy", "the delivery postcode"): a record is open. */
const placeOnRecordRequest: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    `${places} [on|for|registered to|linked to|associated with|we have for|held on] [the|your|this|that] [account|policy|file|booking|order|record|reservation|card|parcel|delivery|claim|profile|licence|license|driving licence|driver's license|driver's licence]`,
    '[delivery|billing|registered|postal] [office|business|company|home]? [postcode|post code|zip|zip code|address|eircode]',
    // Asked to confirm, a place is checked against what is held: "can you confirm the first line of your address?".
    `confirm [your|the] ~ ${places}`,
  ],
};

/** The e-mail or phone number held on the record: verifies only alongside another key (it is often the key itself). */
const contactOnFileRequest: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    'registered [email|e-mail|email address|mobile|mobile number|phone|phone number|contact number|number]',
    '[email|e-mail|email address|phone number|mobile number|contact number|number] [registered|associated|linked|we have|on] ~ [account|booking|order|file|record|policy|reservation|profile|membership|subscription|contract|plan|it]',
    '[billing|account|registered|contact] [email|e-mail|email address]',
    "[email|e-mail|email address|phone number|mobile number|number] [you|you've|that you] ~ [ordered|booked|registered|signed up|used|gave us|log in|login|sign in|logged in|signed in|paid|pay|bought|buy|purchased|topped up]",
  ],
};

/** The agent asking for a lookup key: a record is about to be opened. */
const lookupRequest: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    askingFor(lookupKeys, '~')[0]!,
    // Said short it must be a question ("Tracking number?"): "Your reference number is…" gives one out.
    `^ [ok|okay|right|and|so]? [your|the]? ${lookupKeys} [please|sir|ma'am|maam|madam|then]? ?`,
    // The first of several asked for in one breath: "Agreement number and postcode, please?".
    `^ [ok|okay|right|so|great|lovely|thanks]? [your|the]? ${lookupKeys} [and|plus] ~ [please|sir|ma'am|madam]? ?`,
  ],
};

/** A lookup key asked for, or given unasked ("my account number's 60021847"); an e-mail address or login can be one. */
const lookupKey: Signal = {
  kind: 'any',
  of: [
    lookupRequest,
    { kind: 'phrases', speakers: [...agent], phrases: askingFor('[email|e-mail|email address|username|user name|url|workspace url]', '[me|us]? [your|the]?') },
    { kind: 'phrases', speakers: ['customer'], phrases: [lookupKeys] },
    // A reference given as it is written, without saying what it is: "it's for ML-22871".
    { kind: 'identifier', speakers: ['customer'] },
    placeRequest,
  ],
};

/** The agent saying the customer passed ("Thanks, verified", "that all matches"): a record was checked. */
const verifiedStatement: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    "[you're|you are|you've been|that's you|your account is|your details are|the details are|thanks|thank you|all] verified",
    '^ [thanks|thank you|great|perfect|lovely|ok|okay|right]? [that|it|that all|it all|all] matches',
    // The company's own check, relied on: "I see your ID number was verified".
    "[I see|I can see|I've got|it shows|it says|looks like] [your|the] ~ [was|were|has been|have been] [verified|authenticated|validated]",
    // "Thanks, that's you.", "that's matched", "that all lines up": said once the details check out against a record.
    "^ [thanks|thank you|great|perfect|lovely|ok|okay|right|brilliant|cheers]? *? [that's|that is|that has|that's all|that is all|that all|it all|they all] [you|matched|verified|all matched|all verified|lines up|line up|checks out|check out|in order|all in order]",
  ],
};

/** The company's bot or IVR saying it has verified the customer (a one-time code, a voice match, a signed-in app). */
const companyVerified: Signal = {
  kind: 'phrases',
  speakers: ['bot'],
  phrases: [
    "[you're|you are|you've been|you have been|you're now|you are now|identity has been|voice has been|caller] [successfully]? [verified|authenticated|validated]",
    "[you're|you are|you're now] [signed|logged] in",
    "[you've|you have] been [identified|recognised|recognized]",
  ],
};

/**
 * Account access of any kind: the agent's words above, asking for a lookup key or a secret, or the bot's verification.
 * Asking for an address or postcode alone is not: faults and missed bins are reported by location.
 */
const accountAccess: Signal = {
  kind: 'any',
  of: [
    accountDetails,
    recordOpened,
    lookupRequest,
    { kind: 'phrases', speakers: ['customer'], phrases: [lookupKeys] },
    secretRequest,
    placeOnRecordRequest,
    contactOnFileRequest,
    verifiedStatement,
    companyVerified,
  ],
};

/** The customer not giving what was asked, or the agent finding it does not match. */
const refusals = [
  "[I|i] [don't|do not|dont|can't|cannot|cant] [have|know|remember|recall|find|see|give]",
  '[no idea|not sure|no clue|rather not|prefer not|not telling]',
  '[why|what] do you need',
  '[do you|why do you] [really|even|actually]? need [that|it|this|to know]',
  "[doesn't|does not|don't|do not|didn't|did not|isn't|is not] [match|matching|what I have|what we have|correct|right]",
  "[can't|cannot|couldn't|could not|unable to|not able to] [verify|confirm|match|find a match|validate]",
  "not [what I have|what we have|what I've got|what we've got|a match|matching|the same|right|correct]",
  "[I have|I've got|I've|we have|that's|it's|that is|it is|got] [a|an]? [different|wrong|another|other] [amount|number|date|answer|one|name|postcode|address|figure|pin|code]",
  "[is|was|are|were|that's|it's|looks|seems] [different|wrong|incorrect]",
  "[not|won't|will not|never] [giving|give|sharing|share|telling|tell|saying|say|disclose|disclosing] [that|it|this|you|out|my]",
  // The agent waving a mismatch through.
  '[close enough|near enough|let it slide|let that slide|let you off]',
];

const distress: Signal = {
  kind: 'negative',
  speakers: ['customer'],
  atMost: -3,
  phrases: [
    '[frustrat-|annoy-|infuriat-|aggravat-|exasperat-|irritat-|upset|angry|furious|livid|fuming|raging|seething|worr-|anxious|nervous|tense|tensed|scared|scary|frighten-|terrified|afraid|dread-|embarrass-|mortified|humiliat-|bummed|disturb-|bex|vexed|huhu|geram|terrifying|panick-|panic|stress-|distress-|distraught|concern-|disappoint-|gutted|devastated|desperate|upsetting|miserable|ridiculous|unacceptable|outrageous|appalling|disgrace-|shocking|freak-|freaking out|shaking|shaken|crying|heartbroken|nightmare|shambles|sick and tired|rubbish|useless|pathetic|terrible|awful|horrible|disgusting|overwhelm-|ugh|argh|grr]',
    "[fed up|sick of|had enough|at the end of my tether|at my wits' end|not good enough|waste of [my]? time|can't believe|cannot believe|unbelievable|joke|worried sick|on edge|losing sleep|can't sleep]",
    // Feelings in idiom, British and beyond: "cheesed off", "it's doing my head in", "we're in a real state".
    '[cheesed|hacked|ticked|brassed|pissed] off',
    '[fit to be tied|bricking it|some upset|up the walls|at the end of my rope|going spare|losing it|losing my mind]',
    '[doing my head in|driving me [mad|crazy|nuts|insane|up the wall|round the bend]|scunnered]',
    "[I'm|I am|im|we're|we are|I was|we were|she's|he's] [honestly|really|just|completely|absolutely|a bit|so]? [in bits|in tears|in pieces|in a state|in a real state|in a right state|in such a state|beside myself]",
    // Taking offence at the agent: "wow ok. rude."
    '^ rude',
    "[how|that was|that is|that's|so|very|bit|quite|really|pretty|bloody] rude",
    "[this is|it's|that's] the [second|third|fourth|fifth|sixth|2nd|3rd|4th|5th] time",
    '^ [second|third|fourth|fifth|sixth|2nd|3rd|4th|5th] time [calling|messaging|ringing|phoning|writing|chatting|contacting|asking|emailing|trying]',
    "[don't|do not|dont] [even]? know [where to start|what to do|where to turn|who to ask]",
    // Sarcasm: "Fantastic service, really, great job everyone", "Loving this hobby of mine, really".
    '[fantastic|great|brilliant|amazing|wonderful|excellent|lovely|stellar|superb|terrific] [service|job|work|stuff] ~ [really|everyone|guys|as usual|as always|again|cheers]',
    '^ [loving|love|just love|gotta love|got to love] [this|the|it|how] ~ really',
    '^ [just|exactly]? what [I|we] [needed|need|wanted]',
    '[a real|a right|such a|a massive|a huge|a total|an absolute|a royal] pain',
    '[been waiting|waited|waiting] [for]? [ages|hours|weeks|days|months|forever|so long|too long]',
    '[no one|nobody|noone] [has|is|will|ever]? [help-|call-|listen-|get-|sort-|fix-|answer-|respond-|repl-]',
    '[what am I supposed to|what do I do|what should I do|what am I going to do]',
  ],
};

/** Words for how a situation feels, as an agent names it back: "that's really stressful", "a scary spot to be in". */
const feelingWords =
  '[frustrating|annoying|worrying|stressful|upsetting|awful|horrible|scary|concerning|infuriating|worrisome|unsettling|alarming|distressing|frightening|nerve-wracking|nerve wracking|miserable|heartbreaking|disappointing|terrible|maddening|rubbish|gutting|the worst|worry|pain]';

const acknowledgement: Signal = {
  kind: 'any',
  of: [
    {
      kind: 'phrases',
      speakers: [...agent],
      phrases: [
        "[sorry|apologi-|my apologies] [to hear|to learn|about that|about this|that this|that that|that you|that it|you've|you have|you had|you're|you are|if]",
        // Not "I'm sorry you feel that way", which dismisses the feeling.
        "[I'm|I am|im|we're|so|really|very] sorry [it|it's|its|this|this has|that|that's|you|you're|your|to|about] ~ [happened|happening|not|hasn't|didn't|been|going|had|having|dealing|experienc-|put|left|feeling|worr-|frustrat-|upset-|stress-|lost|stolen|waiting|struggl-|affected|caught|through]",
        '[sorry|apologi-|my apologies] [for|about] [the|all the|this|that|your]? [frustrat-|hassle|confusion|worry|stress|upset|experience|problem|problems|issue|issues|situation|mix-up|mixup|mix up|error|mistake|disruption|difficult-|bother|mess|distress|anxiety|shock|loss]',
        "[I'm|I am|im|we're|we are] [so|really|very|truly|terribly|awfully|incredibly|genuinely] sorry",
        '[I|I can|I completely|I totally|I fully|I absolutely|I do|I really|we|I can really|I can totally|I can only] [understand|appreciate|imagine] ~ [how|why|that|your|it|this|the|you|what]',
        "[I can|I] [see|hear|tell|get|understand] [why|how|that you|you're|you are] ~ [worried|frustrated|upset|stressed|annoyed|concerned|anxious|scared|shaken|angry|distressed]?",
        // What anyone would feel: "that'd drive anyone up the wall", "would have anyone raging".
        "[would|that'd|it'd|that would|it would|that'll|would've|would have] [drive|make|have|get|put|send] [anyone|anybody|everyone|you|me|any of us]",
        "[the last thing you|not what you|not what anyone|not what you'd|not what you would] [need|needed|want|wanted|expect|expected]",
        '^ [ag|aw|ah|oh]? [shame|what a shame]',
        // Sympathy in a word, in other Englishes: "kesian", "aney", "auwe", "isa", "aiyo", "eish".
        '^ [oh|aw|ah]? [kesian|aney|auwe|isa|aiyo|aiyoh|eish|ayy|hai]',
        '^ [oh|ah|aw|yeah|look|honestly]? [totally|completely|absolutely|fully|honestly|really] [get|understand|hear] [it|that|you|this]',
        "[completely|totally|absolutely|fully|that's|that is|very|perfectly|entirely|quite] understand-",
        "[that|this|it] [must|must've|would|sounds|does sound|is|has been|must have|can be|would be] ~ [frustrating|annoying|worrying|stressful|upsetting|difficult|hard|awful|horrible|scary|concerning|inconvenient|infuriating|worrisome|tough|rough|unsettling|alarming|distressing|a worry|a pain|a nightmare|a hassle|not ideal|not good|unacceptable]",
        // Sharing the feeling: "I'd be fuming too", "I'd also be frustrated", "I'd be raging and all".
        "[I'd|I would] [be|feel] ~ [frustrated|annoyed|worried|upset|concerned|the same|stressed|livid|fuming|raging|furious|angry|gutted|cranky|cross|scared|nervous|anxious|at my wits' end|fed up|devastated|heartbroken] too?",
        "[I'd|I would] [be|feel] [bloody|really|so|pretty|absolutely|well|just|properly]? * [too|as well|and all]",
        "[I'd|I would] also [be|feel]",
        // The same said of the situation, without a subject: "with the baby there, must be very worrying".
        `[must|must be|must've been|must have been|would be|would have been] [so|very|really|quite|pretty|real]? ${feelingWords}`,
        // What it would do to anyone: "that would freak me out too", "would wear anyone down".
        "[would|would have|would've|that'd|it'd] [freak|scare|worry|upset|annoy|frustrate|frighten|stress|wear|rattle|shake] [me|anyone|anybody|everyone|most people|any of us]",
        "[no wonder|of course|understandably|naturally] [you're|you are|you'd|you feel|you were|he's|he is|she's|she is|they're|they are]",
        '[nobody|no one|noone] [wants|likes|needs|deserves] [to|that]',
        '[rotten|bad|tough|rough|hard|awful|terrible|horrible|rubbish|cruel] luck',
        "[you|you're] [must|must be|must've been|must have been|sound|seem] ~ [worried|frustrated|upset|stressed|anxious|concerned|annoyed|scared|frightened|terrified|beside yourself|devastated|gutted|fed up|shaken|exhausted|at your wits' end]",
        "[I hear you|I know how|I know it|I know that|fair enough|quite right|you're right]",
        '^ [yeah|oh|look|honestly|okay|ok|well]? [I|I totally|I completely|I really|I fully|I absolutely|I do] [get it|get that|get you|hear you|feel you|know the feeling]',
        `[that's|thats|that is|it's|its|it is|that sounds|that must be|this is|that would be|that has been|that's been|that must have been|what a|how] ~ [${feelingWords.slice(1, -1)}|difficult|hard|tough|rough|inconvenient|a worry|a pain|a nightmare|a hassle|not ideal|not good|unacceptable|shock|a shock|a lot to deal with|a lot to take in]`,
        "[is|-'s|been] [way|far|much|definitely]? too long",
        '[natural|normal|understandable|fair|reasonable] [thing]? to [be|feel|get]',
        '[lots of|a lot of|plenty of|loads of|many] [people|folks|customers|patients|callers] [get|feel|are|worry]',
        "[that's|that is|it's|it is] ~ [joke|ridiculous|out of order|disgrace|shocking|outrageous]",
        "[rest assured|I'll make sure|I will make sure|let me make sure|I'm here to help|I am here to help|we'll get this sorted|let's get this sorted|I'll get this sorted|I'll sort this|let me sort this|we'll sort this]",
      ],
    },
    // Negative words that are the point, not a negation of it.
    {
      kind: 'phrases',
      speakers: [...agent],
      negatable: false,
      phrases: [
        "[don't|do not|dont] feel [bad|stupid|silly|embarrassed|guilty|daft]",
        "[you're|you are] not alone",
        // The situation named with a feeling word, whatever the subject: "three times when you were home is really
        // annoying", "ten days out with no passport is really nerve-wracking" (a "no" there negates nothing).
        `[is|was|are|were|sounds|seems|-'s] [really|so|very|incredibly|genuinely|super|truly|absolutely|properly|quite|pretty|such]? ${feelingWords}`,
        `[a|an|such a] [really|so|very|incredibly|genuinely|truly|properly|pretty]? [${feelingWords.slice(1, -1)}|difficult|tough|rough|hard] [time|spot|situation|position|place|thing|week|day|experience|one]`,
        "[that's not|thats not|that is not|that isn't|it's not|it is not|it isn't] [right|fair|on|ok|okay|good enough|acceptable]",
      ],
    },
  ],
};

const holdAnnouncement: Signal = {
  kind: 'any',
  of: [
    {
      kind: 'phrases',
      speakers: [...agent],
      negatable: false,
      phrases: [
        '[can|could|may|mind if|is it ok if|is it okay if|is it alright if|is it all right if|would it be ok if|would it be okay if|do you mind if|would you mind if|okay if|ok if|alright if] I [put|place|pop|leave|keep] you on ~ hold',
        '[can|could|would] you [hold|bear with me|hang on|hold on|hold the line|stay on the line]',
        '[would you mind|do you mind|are you ok|are you okay|are you alright|are you happy|is that ok|is that okay] ~ [holding|hold|on hold|to hold|being placed|being put]',
        '[are you|you] [ok|okay|alright|happy|fine] [to|with] [hold|holding|a hold|a quick hold|me putting]',
        '[put|place|pop|placing|putting] you on ~ hold ~ [while|whilst|so|to|as|and|because|cause|for me to]',
        '[hold|holding|on hold] ~ [while|whilst|so I can|so that I can|as I|to check|to look|to find|to speak|to confirm|to get]',
        '[bear with me|hold on|hang on|hang tight|hold tight|sit tight|stay on the line|stay connected|one moment|one sec|one second|just a moment|just a second|give me a [moment|minute|second|sec|few minutes]|a moment|a minute] ~ [while|whilst|as|so] I',
        // Asking for time: "may I have 2-3 minutes to review your usage?", "can you give me a couple of mins?".
        '[can|could|may|mind if|would you mind if|do you mind if|is it ok if|is it okay if|is it alright if] I [take|have|grab|get] [a|another|a few|a couple of|couple of|about|just]? ~ [minutes|mins|minute|moment|moments|seconds|secs|tick]',
        '[can|could|would] you give me ~ [minutes|mins|minute|moment|moments|second|seconds|sec|secs|tick]',
        '[can|could|may|mind if|would you mind if|do you mind if|is it ok if|is it okay if|is it alright if] I [just]? [leave you|leave the chat|leave the call|left you|left the chat|step away|step out|stepped away|nip away|pop away|pop off|go check|go and check|go ask|go and ask]',
        "[I can|I'll|I will|I'm going to|I am going to|I need to] [just]? [leave you|leave the chat|leave the call|step away|step out|nip away|pop away|pop off] ~ [while|whilst|to|so|if]",
        '[would you mind|do you mind|can you|could you] [giving|give] me ~ [minutes|mins|minute|moment|moments|second|seconds|sec|secs|tick]',
        "[I'll|I will|I'm going to|I am going to] be [away|gone|off] ~ [while|whilst|to|so]",
        "[please|kindly|just] wait ~ [while|whilst|as|so|I will|I'll|and I will|and I'll]",
        // Telling the customer to wait, with what for: "kindly allow me two minutes, I will check", "give me a tick to check".
        "[give|allow|gimme] me ~ [minutes|mins|minute|moment|second|seconds|sec|secs|tick] [to|while|whilst|so|as|I will|I'll|I am|I'm|and I'll|and I will]",
        "[hold on|hold the line|be on hold|please hold|kindly hold|hold] [sir|ma'am|madam|please]? ~ [let me|I'm|I am|I'll|I will|while|whilst|as|so I can] ~ [check|checking|call|calling|look|looking|speak|speaking|find|confirm|ask|asking|see|contact|contacting|get|getting|pull|review|reviewing]",
        "[check|chase|speak|ask|look|find|confirm|call|contact|get|sort] ~ ~ [I'll|I will] be [right]? back",
        "[I'm going to|I'll|I will|I am going to|let me|I need to|I'm just going to|I'll just|I'm gonna|gonna|going to] [quickly|just]? [check|look|find out|speak|ask|confirm|see|pull|get|grab|transfer|have a look|go] ~ [hold|bear with me|one moment|a moment|a minute|a sec|a second]",
        // Going off to do something, and saying when they will be back: "I'll just nip and check with Huw, back in five".
        "[I'll|I will|I'm going to|I am going to|let me|lemme] [just|quickly]? [nip|pop|run|step|go] [and|to|off to|off and]? [check|ask|see|find out|speak|look|grab|get] ~ ~ [back in|be back|won't be long|will not be long|two ticks|two minutes|two mins]",
        // The wait and its reason side by side: "I check with the visa team, you wait a while", "wait a while, I ask the foreman".
        '[wait a while|wait a moment|wait a minute|wait a sec|you wait|please wait|kindly wait] ~ I [check|ask|see|call|speak|confirm|look|find]',
        'I [check|ask|see|call|speak|confirm|look|find] ~ ~ [you wait|wait a while|wait a moment|wait a minute|please wait|kindly wait]',
        '[hold on|hol on|hang on|wait] [a|one]? [minute|moment|sec|second|tick|min]? [let me|lemme|mek mi|mek me|make me|let mi] [check|see|look|find|ask|confirm]',
        '[let me|lemme] [check|see|look|find out|ask|confirm] ~ ~ [gimme|give me] [a|one|two|a few]? [minute|moment|sec|second|tick|min|mins|minutes]',
        '[put|place|pop|stick] you back on ~ [while|whilst|so|to|as]',
      ],
    },
  ],
};

/** What was done or will happen, or (on a question) the answer summed up: the outcome a resolution needs. */
const outcome: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    "[-'s|-s] [been]? [removed|corrected|fixed|sorted|updated|changed|cancelled|canceled|booked|sent|added|applied|reset|renewed|refunded|credited|processed|approved|scheduled|arranged|logged|raised|lodged|done|extended|waived|reversed|restored|replaced|activated|unblocked|moved|reduced|lowered|increased|confirmed|lifted|released|unlocked|reinstated|frozen|paused|resolved|cleared|registered|filed|dispatched|shipped|linked|unlinked]",
    "^ [done|all done|sorted|all sorted|that's done|right that's done|okay done|ok done|perfect done|sent|booked|cancelled|canceled|refunded|rebooked|updated|fixed]",
    // What the agent is doing or will do now: "I'm also booking a video check", "I'll credit you £90 now".
    "[I'm|I am|we're|we are] [also|now|just]? [booking|sending|arranging|adding|raising|logging|issuing|ordering|refunding|crediting|cancelling|canceling|moving|updating|voiding|reversing|scheduling|emailing|texting|posting|escalating|replacing]",
    "[I'll|I will|I'm going to|I'm gonna|we'll|we will] [just|also|now]? [void|cancel|refund|credit|send|book|arrange|email|text|post|raise|log|update|change|move|reverse|waive|add|remove|fix|reset|process|escalate|issue|order|replace]",
    // More of the same: "I'll have it corrected", "we'll get it re-certified", "I'll swap them", "the truck comes at ten".
    "[I'll|I will|we'll|we will|I can|we can] [have|get] [it|that|them|this|these|those|the *|your *] [-ed|re-]",
    "[I'll|I will|I'm going to|we'll|we will|I can|we can] [just|also|now|then]? [swap|sort|organise|organize|ship|dispatch|deliver|collect|reprint|reissue|resend|re-send|redo|rebook|reschedule|correct|amend|chase|flag|forward|release|unlock|activate|extend|adjust|apply|rush|expedite|courier|re-press|repress|stretch|top up|unfreeze|reactivate|reconnect|re-run|rerun]",
    '[the|a|our] [truck|driver|engineer|technician|courier|rider|van|crew|tech|nurse|plumber|team|fitter|installer|electrician|mechanic] [comes|will come|arrives|will arrive|is coming|will be there|can come|is booked|will be with you|will call|is on the way]',
    "[will|'ll] [call|ring|email|text|contact|visit|phone] you",
    // What someone will do, said with a contraction: "they'll swap it in five minutes", "she'll ring you at seven".
    "[they'll|he'll|she'll|we'll|it'll|that'll|theyll] [just|also|then]? [be]? [-ed|swap|send|call|ring|fit|fix|bring|drop|collect|deliver|install|repair|replace|sort|look|check|come|arrive|reach|go|show|update|clear|refund|credit|process|email|text|contact|visit|get|take|pick|review|book|arrange|confirm|cover|pay|post]",
    "[I've|I have|we've|we have|I just|I've just|I have just|I went ahead and|I've gone ahead and|I've now|I have now|I've also|I have also] ~ [-ed|sent|put in|set up|made|done|given|paid|found|sent out|put through|put a|put the]",
    "[that's|that is|it's|it is|thats|its|that has|it has|this has|they've|they have|you're|you are|you've been|is now|are now|has been|have been|will be|it'll be|that'll be|all|now|got|gets|getting|being|is|are|was|were] ~ [-ed|done|set up|put in|sent|paid|sorted|all set|good to go|on its way|on the way|in place|in hand|underway|lined up|coming|sent out|gone through]",
    "[you'll|you will|you should|you shall|you'd|you would|you'll now|you will now|you can now|you'll also|you will also|you won't|you will not] [receive|get|see|be getting|be receiving|hear|have|be able to|need to|want to|be contacted|be sent|be charged|be refunded|be credited|notice|find|start|stop|keep|pay|go]",
    '[within|in the next|in about|in around|over the next|by] ~ [day|days|hours|working days|business days|minutes|weeks|week|tomorrow|monday|tuesday|wednesday|thursday|friday|end of]',
    '[the|your] next [step|steps] [is|are|will be|would be]?',
    "[what|here's what] [will|is going to|happens|is gonna] [happen|next]?",
    "[someone|somebody|one of us|one of our team|an engineer|a technician|a specialist|the team|a colleague|our team|a manager|a supervisor|the courier|the driver|a nurse|the doctor|we|they|he|she|the tech] [will|'ll|should|is going to|are going to|is gonna] ~ [call|contact|be in touch|visit|get back|email|text|come|arrive|ring|review|look into|send|deliver|collect|follow up|be there|have|sort|bring|drop|fit|install|repair|fix]",
    "[should|will|it'll|that'll|they'll|it's going to|it is going to] [arrive|be ready|be with you|reach you|show up|appear|be delivered|be credited|be back|be sorted|come through|be processed|be fixed|be restored|drop|update|clear|go through|go out|ship|be released|be available|land|hit|kick in|take effect|start|come off|go back]",
    '[coming|arriving|heading|on its way|on the way] [to you|out to you|your way|over|round|out|tomorrow|today|on|between|this|next]',
    'confirmation [email|text|number|letter|message|sms|code]',
    '[keep an eye|look out] [out]? for',
    'all [sorted|set|done|good]',
    '[the reason|the problem|the issue|it was|that was] [is|was] [that|because]',
    "[to|you can|you just need to|all you need to do is|you'll need to|you will need to|you need to|just|you'd need to|you would need to] [go to|log in|log into|visit|click|tap|select|call|ring|bring|send|fill|take|pop|head|book|apply|use|filter|enter|upload|download|come in|contact]",
    '[to recap|to summarise|to summarize|in summary|in short|just to confirm|so just to confirm|so to confirm|just to recap|so to recap]',
    '^ so *',
    // A direct answer to the customer's question: "Yes, you can renew online", "No, it can't be reserved".
    "^ [yes|no|yeah|yep|aye|nope|unfortunately|sadly|I'm afraid] ~ [can|can't|cannot|will|won't|do|don't|does|doesn't|is|isn't|are|aren't|need|needs|needn't|have|has|should|must|there's|it's|that's|they're|you're|we're]",
    '^ [only if|only when|not unless|as long as] *',
    // A quote or an option, on a question about one: "the estimate would be $2,400", "you could still join on…".
    '[estimate|quote|price|cost|total|fee|premium|refund|payout|excess] [would be|will be|comes to|is|comes out at|works out at] ~ #',
    "[you could|you can|you can still|you could still|you'd still be able to] [join|switch|apply|book|get|use|pay|claim|choose|opt|keep|stay|upgrade|cancel|return]",
    // Instructions, on a how-to question: "Log in to the router, then go to Wireless".
    '^ [sure|okay|ok|right|so|first|just|simply|then|please]? [log in|log into|sign in|sign out|go to|head to|click|tap|select|open|visit|restart|reboot|unplug|enter|type|press|download|install|navigate to]',
  ],
};

const resolutionCheck: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    '[does|did|do|will|would|is|was|has] [that|this|it|everything|that all|this all|it all] [suit|suits|look|looks|sound|sounds|seem|seems|feel|work|works|help|helps|make|fix|answer|solve|resolve|sort|cover|do|come|go|show|load|get|clear|take|fit|match|suit you|look right|sound right]',
    'how [does|do|did] [that|this|it|everything] [sound|look|seem|suit|feel|work]',
    // A time or an option offered: "Will Wednesday suit you?", "Does 4:15 work for you?".
    '[will|would|does|do|is] ~ [suit you|work for you] ?',
    '[will|would|does|do] * [suit|work] ?',
    '[is|was] [that|this] what you [wanted|needed|were after|were looking for|had in mind|asked for|meant]',
    '[can|could|would|will] you [please]? [try|test|give it a|have a go|refresh|restart|log in|login|see if|let me know if|tell me if|check if|check whether|check and confirm|confirm if|confirm whether|let me know whether|tell me whether]',
    'did [it|that|the|you|they|everything] ~ [come up|come through|go through|work|load|arrive|show up|get it|receive|connect|update|clear]',
    "[all|everything|it's|its|it is] [working|good|ok|okay|sorted|fine|loading|showing|connected|back] [now|on your end|your end|there|for you|again]",
    '[are|r] [we|you] [good|ok|okay|all set|sorted|happy|all good|sorted now]',
    '[does|did|has|have|will|would|is|was] [that|this|everything|I|it|we] ~ [answer-|help-|resolve-|sort-|make sense|cover-|clear-|fix-|solve-|work|works|work for you|explain-|address-|take- care of|taken care of|get you|put your mind at rest|do the trick|do it]',
    '[is|are|was|were] [that|this|everything|you|it|we|your [query|question|issue|problem]] ~ [ok|okay|alright|all right|clear|sorted|resolved|fine|good|happy|satisfied|what you needed|what you were after|working|sorted out|answered|fixed|all good|better|clearer|set|covered|going to work|gonna work|everything|all you need|all you needed|everything you need|everything you needed]',
    'have I [answered|resolved|helped|covered|sorted|fixed|explained|addressed]',
    '[are you|you] [happy|ok|okay|alright|satisfied|good|fine|comfortable|clear] with [that|this|the|everything|it]',
    '[does|is] that [work|all work|ok|okay|alright|good] for you',
    '[can|could] you [see|confirm] ~ [now|working|come through|updated|received|arrived]',
    '[make|makes] sense',
    '[does|would|will] [that|this|it] [sound|sounds] [good|ok|okay|alright|fair|all right|manageable|reasonable|right|fine]',
    '[happy|good|okay|ok] with that',
    '[any|do you have any|have you got any|got any] [other]? [questions|question|queries|query] [about|on|regarding] [that|this|it]',
    "[you|you're|you are|we're|we are] [all set|all sorted|all good|set|sorted|good] [right|yeah|then]",
    '[give|get|got] you what you [need|needed|want|wanted|were after|were looking for]',
    '[all|everything] [ok|okay|good|sorted|clear] [now|then]?',
    '[all|everything] [ok|okay|alright|all right|good|fine] with [that|this]',
    // Checks said short, as questions: "Sound good?", "That alright?", "We good?", "you got all that".
    // "Sounds good" alone acknowledges the customer; "Sound good?" asks them.
    '[sound|look|seem] [good|ok|okay|alright|all right|fair|right|fine|reasonable|better] [to you|for you]? ?',
    '[sounds|looks|seems] [good|ok|okay|alright|all right|fair|right|fine|reasonable|better] [to you|for you] ?',
    '[that|this|that all|all that] [ok|okay|alright|all right|good|fine|clear|suitable|useful|helpful|better|fair] [for you|with you|by you|to you]? ?',
    '[that|this] [work|works|suit|suits|help|helps|sort|sorts|cover|covers|do] [it|everything|you|for you]? ?',
    '[does|do|will|would] ~ work [with|for] [you|your] ~ ?',
    '[is|was] [that|this] [acceptable|suitable|agreeable] ~ ?',
    // Not "you're all set", a statement, which speech recognition writes with no question mark either.
    '[we|you] [good|ok|okay|alright|all right|sorted|all good|happy|clear] [now|then|there|with that]? ?',
    "[you|you've] [got|get|follow|understood] ~ [that|all that|everything|me] ?",
    '[do|did] you [understand|follow|get] ~ [that|this|all that|everything|all of that]',
    '[is|was] [that|this|it|everything|all of that] [suitable|useful|helpful|convenient|clear|right for you|okay for you|fine for you]',
    'try [it|that]? again [now]? ?',
    // Asking the customer to test the fix and report back.
    'let me know [if|whether|once|when] [it|that|this|everything|you|the *] ~ [work|works|worked|working|arrived|arrives|comes through|come through|goes through|went through|signal|service|see it|can see|received|get it|got it|connects|connected|loads|loaded|back on|fixed|sorted|helps|helped]',
    '[check|try|test|look|refresh|restart|reboot] ~ [and|then] [confirm|let me know|tell me|see if|check if]',
    // Asking whether the fix shows on the customer's side: "Is it charging now?", "Is the picture back on your side?".
    '[is|are|can you|can|do you] ~ [showing|working|charging|loading|connecting|connected|back|online|live|through|beeping|pending|ready|fixed|cleared|gone|updated|showing up|see] ~ [now|again|on your end|on your side|your end|your side] ?',
    '[can|could|would|will] you ~ [and]? [tell me|let me know] [if|whether]',
    // An option put to the customer: "That window work for you?", "would that be okay with you?".
    '[that|this|the] [window|time|slot|date|day|plan|option|figure|price|amount|arrangement|appointment] ~ [work|works|suit|suits|okay|ok|alright|fine|good] [for you|with you|for ya|for yuh]? ?',
    '[would|will|is] [that|this] be? [okay|ok|alright|all right|fine|acceptable|suitable|good] [with|for|by] you',
    '[that|this|it] [work|works] for [ya|yuh|yah|u] ?',
    '[does|did|will|would|has] [that|this|it] ~ [put|set] [you|your mind] at [ease|rest]',
    '[is|was] [that|this|it] the * you [wanted|needed|were after|were looking for|had in mind|asked for|meant]',
    '[you|yuh|ya] [understand|follow] ?',
    // Any short question on whether it suits, works or helps: "Does that arrangement suit you and your daughter?",
    // "Will that keep things safe for the clinic?", "Is one hour alright with you?".
    '^ [does|do|did|will|would|is|was] ~ [suit|suits|work|works|keep|okay|ok|alright|fine|grand|acceptable|manageable|doable|workable|affordable|enough|everything you need|look right|looking right|sound right|make sense|accept|accepts] ~ ?',
    '^ [can|could] you [live with|see|work with] ~ ~ ?',
    // A question on what was just done, said short: "Does that ease your mind?", "Will that tide you over until then?",
    // "Has it loaded?", "Is it playing nicely now?", "Is everything showing as it should?".
    '^ [does|did|has|will] [that|this|that all|this all|it all] ~ ~ ?',
    '^ [has|is|are] [it|that|everything|the *] [loaded|showing|working|playing|through|back|updated|gone through|come through|cleared] ~ ?',
    '^ [that]? [sounds|seems] [fair|good|ok|okay|right|reasonable] ?',
    '^ fair ?',
    "[anything|something] [about|in|on] ~ [you'd|you would|you want] [like]? [me]? to [go over|explain|clarify|run through|go through]",
    '^ [are]? you in ?',
    '[that|this] [work|works|suit|suits] [ya|yuh|yah|u|okay|ok|alright] [for you|with you]? ?',
    '[any|got any|have you got any|do you have any] [questions|question|queries] [about|on] [any of|all of]? [that|this|it]',
  ],
};

const offerHelp: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  lastTurns: 3,
  phrases: [
    '[anything|something] else [I|we] [can|could|may] [help|do|assist|sort]',
    '[is there|was there|is there anything|anything] ~ else',
    '[can|could|may|shall] I [help|assist] [you]? [with]? [anything|something] [else|further|more]',
    '[what|how] else can I',
    '[any other thing|anything more|ada apa-apa lagi|aru kehi chahiyo] ~ ?',
    '[any|are there any|do you have any|have you got any|got any] [other|more|further] [questions|queries|issues|concerns|problems|question|query|issue|concern|problem|help|assistance]',
    '[anything|something] [more|further] [I|we] [can|could]',
    '[help|assist] [you]? [further|with anything further]',
    '[any other thing|any other things|any other bits|any other bit|anything further|anything more]',
    // Dialect and speech-recognition spellings of "anything": "owt else?", "anyting else mi can help yuh wid".
    '[owt|anythin|anyting|anyfing] [else|more|further]',
  ],
};

/** A polite close: thanks or good wishes. A bare "okay, bye" is not one. */
const politeClose: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  lastTurns: 2,
  phrases: [
    '[thank you|thanks|cheers|thankyou|ty|thx|ta|many thanks]',
    // Thanks and good wishes in other languages, as agents close in them.
    "[webale|ke a leboga|ndatenda|vinaka|efcharisto|fa'afetai|faafetai|dhonnobad|dhanyabad|bohoma sthuthi|siyabonga|manuia le aso|selamat memandu|heal up good|take 'er easy|diolch|grazzi|grazie|gracias|merci|danke|obrigado|obrigada|dank je|dankie|tack|takk|kiitos|dziękuję|spasibo|asante|shukran|shukriya|dhanyavaad|dhanyavad|dhanyawad|terima kasih|salamat|arigato|xie xie|do jeh|kamsahamnida|medaase|nagode|ngiyabonga|enkosi|toda|teşekkürler|efharisto|mahalo|nga mihi|walk good|allah hafiz|khuda hafiz|fi amanillah|pob lwc|hwyl fawr|slán|slan abhaile|buon rientro|buon viaggio|bon voyage|buen viaje|gute reise|bonne journée|buona giornata]",
    'have a ~ [day|evening|afternoon|morning|weekend|night|one|week|rest|trip|flight|holiday|holidays|wedding|time|birthday|christmas|journey|stay|meal|game|match|break|visit]',
    // Any good wish: "have a good crossing", "have a lekker weekend", "hope the rest of your trip goes smoothly".
    'have a [good|great|nice|lovely|wonderful|safe|pleasant|brilliant|fantastic|super|ripper|lekker|blessed|grand] *',
    'hope [the rest of]? ~ [goes|go|went|is|are|gets|get|feel|feels] ~ [well|better|smoothly|soon|great|okay|ok|fine]',
    'safe [travels|trip|journey|flight|drive|driving|crossing|home|travelling|traveling]',
    // Wishes for what the customer does next: "drive carefully", "stay warm", "feel better soon", "happy moving!",
    // "hope you catch them next time".
    '[drive|travel|fly|ride|get home] [safe|safely|carefully]',
    'have [the|a] [best|greatest|loveliest|nicest|most] *',
    'take [good|great|real] care',
    // Farewells that are thanks or a wish in their own words: "go well", "talk soon", "kia kaha", "hamba kahle".
    '[go well|talk soon|speak soon|chat soon|catch you later|see you soon|best of luck|fair winds|hamba kahle|kia kaha|go raibh maith agat|sharp sharp|ka kite|haere ra|sláinte|slainte]',
    '[stay|keep] [warm|safe|dry|cool|well|healthy|cosy|cozy]',
    '[feel|get] better [soon]?',
    '^ happy *',
    "hope [you|you're|you all|your|she|he|they|everything|it all|the] *",
    'hope * [has|have|enjoys|enjoy|gets|feels|is]',
    "[take care|take it easy|sleep well|stay blessed|be blessed|mind yourself|mind yourselves|mind how you go|look after yourself|look after yourselves|all the best|best wishes|good luck|stay safe|be well|congratulations|congrats|enjoy|happy holidays|merry christmas|pleasure speaking|pleasure talking|nice speaking|nice talking|lovely speaking|great speaking|lovely talking|you're welcome|you are welcome|my pleasure|glad I could help|glad to help|happy to help|have a good one|have a nice one|keep well|god bless]",
  ],
};

const insults: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    "[you're|you are|are you|what an|such an|you|you're being|you are being|you're just|you're so] [an|a]? [idiot|stupid|moron|dumb|thick|clueless|useless|pathetic|incompetent|deaf|imbecile|fool|joke|clown|dimwit|halfwit|dense|slow|ignorant|liar|lying|crazy|mental|nuts|brainless]",
    '[stupid|dumb|idiotic|silly|ridiculous|pointless|daft] [question|questions|request|thing|idea]',
    '[shut up|shut it|get lost|piss off|go away|get off the phone|stop whining|stop moaning|stop crying|grow up]',
    "[learn to|can't you|cant you|do you even] [read|listen|understand|speak english]",
    "[not|isn't|is not] my [problem|fault|job]",
    "[I don't|I do not|I dont] care",
    "[don't|do not|dont] waste my time",
    '[whatever|deal with it|tough luck|your problem|too bad]',
  ],
};

/** Talking down to the customer: words that are no insult alone, so a "not" in them is part of the put-down. */
const condescension: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  negatable: false,
  phrases: [
    '[most people|everyone else|anyone|a child|a kid|a fresher|my nan|my gran|my grandmother|my grandma|my granny|my mum|my mom|a five year old|a 5 year old|even a|even you] ~ [manage|manages|managed|can|could|knows|know|figure|figures|figured|understand|understands|get|gets|got|did|does]',
    "[that's|that is|thats|it's|how|so|pretty|kind of|kinda|bit|a bit] [dumb|stupid|idiotic|daft|moronic|thick]",
    // Expletives said as interjections: "Jesus, that'd drive anyone…", "well, hell, that's what you signed up for".
    '^ [oh|ah|aw]? [jesus|jeez|jesus christ|christ]',
    '[well|oh|ah|aw|what the|bloody] hell',
    '[literally|clearly|obviously] [says|said|printed|written|stated|explained|states|tells|labelled|labeled|marked]',
    "you [clearly|obviously|evidently|apparently] [didn't|did not|don't|do not|haven't|have not|never|can't|cannot] [read|listen|understand|look|check|pay attention|follow]",
    "[it's|it is|its|that's|that is] [really|honestly|seriously|just]? not [that|so|very|exactly] [hard|difficult|complicated|complex]",
    // "It ain't hard to hear a truck horn", "people should read before signing, it's not complicated", "Not that hard."
    "[ain't|aint|isn't|is not|it's not|its not|it is not] [that|so|very|exactly|really]? [hard|difficult|complicated] [to|is it]",
    "[read|signing|sign] ~ [it's not|its not|it is not|it isn't|isn't] [that|so]? [complicated|hard|difficult]",
    '^ not [that|so] [hard|difficult|complicated]',
    '[next time|in future] [maybe|perhaps] [look|read|check|listen|think|try|have a look|pay attention]',
    '[this|that|it] is [very|really|pretty|super|just]? [basic|obvious|common sense|simple stuff]',
    'read the [label|instructions|box|manual|email|website|screen|terms|faq|sign|message|notes] [before|first|properly|next time|carefully]',
    "[or maybe not|if you bothered|if you had bothered|if you'd bothered|try reading|try listening|what did you expect|what do you expect|what were you expecting]",
    // Blaming the customer for not reading: "can you not read", "if you'd read page four…", "have a read of it next time".
    "[can you not|can't you|cant you|do you not|can you even] [read|listen|hear|see]",
    // Blame for missing what was there: "not sure how you missed it", "the email you clearly skipped", "were you even listening?".
    "[not sure|no idea|don't know|dunno|beats me] how you [missed|didn't see|didn't notice|overlooked|skipped]",
    "you [clearly|obviously|evidently] [skipped|missed|ignored|overlooked|didn't read|did not read]",
    '[were|are] you [even|actually] [listening|reading|paying attention]',
    '[give|take|have] [that|it|this] a [look|read] [first|before] ~ [next time]?',
    "if [you'd|you had] [read|listened|looked|checked|paid attention|bothered]",
    '[have|take|give it] a [read|look] ~ [next time|first time|beforehand]',
    "[most people|everyone else|anyone else|anybody else] [would've|would have|wouldve|would] [just|simply|already]?",
    '[have|did|do] you [actually|even] [gone and|tried|try|bother|bothered|read|look|looked|check|checked|listen|listened]',
    "[not rocket science|are you [actually|even|really]? [reading|listening]|how many times|I [already|just] told you|I've [already|just] told you|pay attention|it's not that [hard|difficult]|like I [said|told you] ~ [already|before|twice]|I'm not going to [explain|repeat|say] ~ again|read the [instructions|box|manual|email|website]]",
  ],
};

const abuse: Signal = {
  kind: 'any',
  of: [
    insults,
    condescension,
    {
      kind: 'phrases',
      speakers: [...agent],
      phrases: [
        '[idiot|idiots|moron|morons|imbecile|imbeciles|muppet|muppets|numpty|numpties|plonker|plonkers|twit|twits|dimwit|dimwits|halfwit|cretin|cretins|clowns|useless lot|bunch of clowns|div|divs|couillon|couillons|eejit|eejits|galah|galahs|drongo|drongos|gobshite|pillock|pillocks|wally|wallies|nitwit|nitwits|dunce|dolt|numbskull|bozo|bozos|dope|dopes]',
        // People run down by what they cannot do or have not got: "these guys can't read a map", "not one brain between them".
        "[can't|cannot|can not|couldn't|could not] [read|count|spell|follow] [a|the|simple|basic|to]?",
        '[brain|brains|brain cell|brain cells|clue] between them',
        '[thick|daft|dumb] as [two short planks|a brick|a plank|mince|they come]',
        '[useless|hopeless|incompetent|clueless|brainless|lazy|thick] [driver|drivers|guy|guys|lot|bunch|people|staff|courier|couriers|div|team|engineer|engineers|technician|technicians|lads|crew|company|council|interpreter|interpreters|contractor|contractors|fitter|fitters|agent|agents|idiot|muppet]',
        '[guys|lot|people|staff|drivers|couriers|crew|team|council|lads|mob|municipality|contractors|fitters] [are|were|is|was] [so|completely|totally|absolutely|just|really|bloody|pretty|utterly]? [useless|hopeless|incompetent|clueless|a joke|a shambles]',
        // Running down third parties: "those installers are useless".
        "[they're|they are|they were|they've been|those * are|these * are|those * were|that lot are|that lot were] [so|completely|totally|absolutely|just|really|bloody|pretty|utterly]? [useless|hopeless|incompetent|clueless|pathetic|careless|lazy|a joke|a shambles|like children|like kids]",
        // Sarcastic praise: "great job losing it", "our warehouse did a great job again".
        '[great|good|brilliant|fantastic|fine|nice|stellar|wonderful] job [again|as usual|as always|losing|breaking|messing|ruining]',
      ],
    },
  ],
};

const standardFormDefinition = {
  name: 'Standard form',
  reviewBelow: 0.75,
  sections: [
    {
      id: 'opening',
      title: 'Opening',
      questions: [
        {
          id: 'greeting',
          text: "In the agent's first two turns, the agent greets the customer and says their own name or the company's name.",
          guidance:
            'Any greeting counts ("hi", "good morning", "thanks for calling…") as long as a name — the agent\'s or the company\'s — is said in the same two turns.',
          type: 'yes_no',
          weight: 12.5,
          auto: {
            expect: {
              kind: 'all',
              of: [
                { kind: 'present', signal: greetingWords },
                { kind: 'present', signal: introduction },
              ],
            },
          },
        },
        {
          id: 'recording_disclosure',
          text: 'Someone on the company side (agent or bot) says the call is recorded or monitored, before the customer gives personal details.',
          guidance:
            'Voice only. An IVR announcement counts. A notice given after the customer has already said a date of birth, postcode, account number or similar is a "no".',
          type: 'yes_no',
          allowNa: true,
          weight: 12.5,
          critical: true,
          auto: { appliesWhen: { channels: ['voice'] }, expect: { kind: 'present', signal: recordingNotice, before: customerDetails } },
        },
        {
          id: 'identity_verified',
          text: 'Before discussing or changing account-specific details, the agent verifies identity (asks for and receives an identifier).',
          guidance:
            'Identifiers: date of birth, postcode, security answer, last digits of a card, a one-time code… N/A when no account is looked at or changed (general questions).',
          type: 'yes_no',
          allowNa: true,
          weight: 12.5,
          auto: {
            appliesWhen: { signal: accountAccess },
            expect: {
              kind: 'any',
              of: [
                { kind: 'present', signal: verificationRequest, before: accountDetails, answered: { speakers: ['customer'], refusals } },
                // The contact details on file after a key ("the booking ID… and the registered mobile"): after it, so
                // one e-mail address cannot be both.
                {
                  kind: 'all',
                  of: [
                    { kind: 'present', signal: lookupKey },
                    { kind: 'present', signal: contactOnFileRequest, after: lookupKey, before: accountDetails, answered: { speakers: ['customer'], refusals } },
                  ],
                },
                { kind: 'present', signal: companyVerified, before: accountDetails },
                { kind: 'present', signal: volunteeredVerifier, before: accountDetails },
              ],
            },
          },
        },
      ],
    },
    {
      id: 'handling',
      title: 'Handling',
      questions: [
        {
          id: 'empathy',
          text: 'When the customer expresses frustration, worry or distress, the agent acknowledges it in words.',
          guidance:
            'The acknowledgement is about the customer\'s feeling or situation ("I\'m sorry to hear that", "that must be worrying"); "sorry for the wait" alone is not. N/A when the customer expresses none.',
          type: 'yes_no',
          allowNa: true,
          weight: 12.5,
          auto: { appliesWhen: { signal: distress }, expect: { kind: 'present', signal: acknowledgement, after: distress } },
        },
        {
          id: 'hold_permission',
          text: 'Before each hold, the agent asks permission or tells the customer they will hold and why.',
          guidance: 'Every hold needs it; one hold without it is a "no". N/A when there is no hold.',
          type: 'yes_no',
          allowNa: true,
          weight: 12.5,
          auto: { appliesWhen: { holds: true }, expect: { kind: 'each_hold', signal: holdAnnouncement, turnsBefore: 2 } },
        },
      ],
    },
    {
      id: 'closing',
      title: 'Closing',
      questions: [
        {
          id: 'resolution_confirmed',
          text: 'Before closing, the agent states the outcome or next steps and checks that the issue is resolved for the customer.',
          guidance: 'Both parts: what was done or will happen, and a question such as "does that sort it out for you?".',
          type: 'yes_no',
          weight: 12.5,
          auto: {
            expect: {
              kind: 'all',
              of: [
                { kind: 'present', signal: outcome },
                { kind: 'present', signal: resolutionCheck },
              ],
            },
          },
        },
        {
          id: 'closing',
          text: 'The agent offers further help and closes politely.',
          guidance: '"Is there anything else I can help with?" and a polite goodbye or thanks, in the last turns.',
          type: 'yes_no',
          weight: 12.5,
          auto: {
            expect: {
              kind: 'all',
              of: [
                { kind: 'present', signal: offerHelp },
                // The close comes with the offer or after it: thanks a turn before ("thanks for your patience") is not it.
                { kind: 'present', signal: politeClose, after: offerHelp },
              ],
            },
          },
        },
        {
          id: 'no_profanity',
          text: 'The agent uses no profanity or abusive language.',
          guidance: "Only the agent's words count: a customer swearing does not fail this.",
          type: 'yes_no',
          weight: 12.5,
          critical: true,
          auto: { expect: { kind: 'absent', signal: { kind: 'any', of: [{ kind: 'profanity', speakers: [...agent] }, abuse] } } },
        },
      ],
    },
  ],
};

export const standardForm: FormDefinition = parseForm(standardFormDefinition);
