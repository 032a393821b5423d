import { parseForm, type FormDefinition } from './form.ts';
import type { Signal } from './rules.ts';

/**
 * The standard form, shipped as a built-in template: eight yes/no questions weighed equally, two of them critical,
 * each answered by rules over the transcript. The phrase sets are the form's data, not code: an analyst copies the
 * template and edits them. (Phrase syntax: phrases.ts.)
 */

const agent = ['agent'] as const;
const companySide = ['agent', 'bot'] as const;

const greetingWords: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  firstTurns: 2,
  phrases: [
    '[hi|hello|hey|hiya|howdy|greetings|welcome|good morning|good afternoon|good evening|good day]',
    '[morning|afternoon|evening] [and welcome|,]?',
    '[thank you|thanks|thankyou|thanks so much|thank you so much] for [calling|contacting|ringing|phoning|getting in touch|reaching out|choosing|chatting|your call|holding]',
    "[welcome to|you have reached|you've reached|you're through to|you are through to|you're speaking [to|with]|you are speaking [to|with]]",
    '[how|what] [can|may|could] I [help|assist|do for] [you|]',
    'how [can|may] [we|I] help',
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
        "[my name is|my name's|my names|name is|name's|this is|it's|its|i am|i'm|im|you're speaking [to|with]|you are speaking [to|with]|you're through to|you are through to|you've got|you have|speaking with] *",
        '[thank you|thanks] for [calling|contacting|choosing|ringing|phoning] *',
        "[welcome to|you've reached|you have reached|calling from|from the|here at|with] *",
      ],
    },
    { kind: 'phrases', speakers: [...agent], firstTurns: 2, phrases: ['* [speaking|here] [,|how|what|who]?'], name: false, negatable: false },
  ],
};

/** Personal details the customer gives: what a recording notice must come before. */
const customerDetails: Signal = { kind: 'identifier', speakers: ['customer'] };

const recordingNotice: Signal = {
  kind: 'phrases',
  speakers: [...companySide],
  phrases: [
    '[call|calls|conversation|conversations|line|lines|chat|this] ~ [recorded|monitored|recording|monitoring|taped]',
    '[we|I] [record|monitor|may record|may monitor|will record|are recording|am recording] ~ [calls|call|conversation|conversations|this]',
    '[recorded|monitored|recording] [for|to] ~ [quality|training|security|compliance|monitoring|our records|record]',
    '[quality|training] and? [monitoring|training|quality]? purposes',
  ],
};

/** The agent saying or changing what is on the customer's account. */
const accountDetails: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    'your [balance|outstanding balance|current balance|last payment|latest bill|last bill|statement|bill|payment|payments|transactions|transaction|direct debit|standing order|overdraft|credit limit|limit|policy|claim|order|parcel|booking|reservation|appointment|prescription|subscription|plan|contract|tariff|meter reading|usage|loan|mortgage|application|refund|account] [is|was|shows|has|went|came|will|are|were|says|expires|renews|ends|runs|of|for|from|on|at]',
    '[I can|I could|I] see [that|here|on|your|there|the|a|you]',
    "[I've|I have|I'll|I will|I'm going to|I am going to|let me|I can|I just] ~ [cancel-|update-|change-|block-|freeze|frozen|unblock-|reset|refund-|credit-|reissue-|rebook-|amend-|waive-|reverse-|process-|switch-|upgrade-|downgrade-|apply-|remove-|add-] [your|the|that|this|it|a|an]",
    '[on|in|from|to] your [account|file|record|records|profile|policy]',
    '[looking|checking|pulling up|bringing up|having a look] [at|up]? your [account|details|record|records|file|order|booking|policy|bill|statement]',
    'you [owe|have paid|paid|spent|were charged|have been charged|currently have|have got|still have] #?',
    "there's [a|one|two] [charge|payment|transaction|debit|credit|refund|order|booking] [of|for|on|from|pending]",
  ],
};

/** Account access of any kind: the agent's words above, or the customer asking about their own account. */
const accountAccess: Signal = {
  kind: 'any',
  of: [
    accountDetails,
    {
      kind: 'phrases',
      speakers: ['customer'],
      phrases: [
        'my [account|balance|bill|statement|card|debit card|credit card|payment|payments|direct debit|order|parcel|delivery|booking|reservation|policy|claim|plan|contract|tariff|meter|loan|mortgage|refund|appointment|prescription|subscription|password|pin|address|details|transaction|transactions|charge|overdraft|limit|application]',
        '[change|update|cancel|close|open|check|block|freeze] [the|a]? [address|email|phone number|account|card|order|booking|appointment|plan|direct debit|payment]',
      ],
    },
  ],
};

const verificationRequest: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    "[verify|confirm|check|validate|take|get|have|need|ask for|grab|go through|run through|answer] ~ [your]? [identity|id|date of birth|dob|birth date|birthday|postcode|post code|zip|zip code|address|first line|security [question|questions|answer|answers|word|number|code|check|details]|memorable [word|information|date]|last [four|4|two|three|six] digits|account number|card number|sort code|member number|policy number|customer number|reference number|full name and|name and [address|postcode|date]|one time [code|passcode|password|pin]|one-time [code|passcode|pin]|verification code|passcode|pin|security|social security|ssn|mother's maiden name|maiden name|a few details|some details|couple of details|couple of questions|few questions|some questions]",
    "[what|what's] [is]? your [date of birth|dob|postcode|post code|zip|zip code|address|first line|account number|card number|member number|policy number|customer number|full name|security answer|memorable word|reference number]",
    '[can|could|may|would] you [please]? [confirm|give me|tell me|provide|read out|read me|spell|verify|answer|let me know] ~ [your|the|a|some|few]',
    "[i've|I have|we've|we have] [sent|texted|emailed] ~ [code|passcode|pin|one-time|verification]",
    'for [security|data protection|verification|gdpr|privacy] [purposes|reasons]?',
    '[through|pass|clear|complete] [security|verification|data protection|the security]',
  ],
};

const refusals = [
  "[I|i] [don't|do not|dont|can't|cannot|cant] [have|know|remember|recall|find|see|give]",
  '[no idea|not sure|no clue|rather not|prefer not|not telling]',
  '[why|what] do you need',
];

const distress: Signal = {
  kind: 'negative',
  speakers: ['customer'],
  atMost: -3,
  phrases: [
    '[frustrat-|annoy-|infuriat-|aggravat-|exasperat-|irritat-|upset|angry|furious|livid|fuming|worr-|anxious|nervous|scared|frightened|terrified|panick-|panic|stress-|distress-|concern-|disappoint-|gutted|devastated|desperate|upsetting|ridiculous|unacceptable|outrageous|appalling|disgrace-|shocking]',
    "[fed up|sick of|had enough|at the end of my tether|at my wits end|not good enough|waste of [my]? time|can't believe|cannot believe|unbelievable|joke]",
    "[this is|it's|that's] the [second|third|fourth|fifth|sixth|2nd|3rd|4th|5th] time",
    '[been waiting|waited|waiting] [for]? [ages|hours|weeks|days|months|forever|so long|too long]',
    '[no one|nobody|noone] [has|is|will|ever]? [help-|call-|listen-|get-|sort-|fix-|answer-|respond-]',
    '[what am I supposed to|what do I do|what should I do|what am I going to do]',
  ],
};

const acknowledgement: Signal = {
  kind: 'any',
  of: [
    {
      kind: 'phrases',
      speakers: [...agent],
      phrases: [
        "[sorry|apologi-|my apologies] [to hear|to learn|about that|about this|that this|that that|that you|that it|you've|you have|you had|you're|you are|if]",
        '[sorry|apologi-|my apologies] [for|about] [the|all the|this|that|any|your]? [frustrat-|inconvenien-|trouble|hassle|confusion|worry|stress|upset|experience|problem|problems|issue|issues|situation|mix-up|mixup|mix up|error|mistake|disruption|difficult-|bother|mess|distress|anxiety|shock|loss]',
        "[I'm|I am|im|we're|we are] [so|really|very|truly|terribly|awfully|incredibly|genuinely] sorry",
        '[I|I can|I completely|I totally|I fully|I absolutely|I do|I really|we] [understand|appreciate|imagine|get|see|hear] ~ [how|why|that|your|it|this|the|you]',
        '[completely|totally|absolutely|fully] understand',
        "[that|this|it] [must|must've|would|sounds|does sound|is|has been|must have|can be|would be] ~ [frustrating|annoying|worrying|stressful|upsetting|difficult|hard|awful|horrible|scary|concerning|inconvenient|infuriating|worrisome|tough|rough|unsettling|alarming|distressing|a worry|a pain|a nightmare|a hassle|not ideal|not good|unacceptable]",
        "[I'd|I would] [be|feel] ~ [frustrated|annoyed|worried|upset|concerned|the same|stressed] too?",
        "[you|you're] [must|must be|must've been|must have been|sound|seem] ~ [worried|frustrated|upset|stressed|anxious|concerned|annoyed|scared]",
        "[I hear you|I know how|I know it|I know that|I get it|I get that|fair enough|quite right|you're right|that's not [right|fair|on|ok|okay|good enough|acceptable]]",
        "[rest assured|I'll make sure|I will make sure|let me make sure|I'm here to help|I am here to help|we'll get this sorted|let's get this sorted|I'll get this sorted|I'll sort this|let me sort this|we'll sort this]",
        '[thank you|thanks] for [your patience|bearing with|being patient|understanding]',
      ],
    },
    { kind: 'phrases', speakers: [...agent], negatable: false, phrases: ["[don't|do not|dont] [worry|panic|be alarmed]", 'no need to [worry|panic]'] },
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
        '[bear with me|hold on|hang on|one moment|one sec|one second|just a moment|just a second|give me a [moment|minute|second|sec|few minutes]|a moment|a minute] ~ [while|whilst|as|so] I',
        "[I'm going to|I'll|I will|I am going to|let me|I need to|I'm just going to|I'll just|I'm gonna|gonna|going to] [quickly|just]? [check|look|find out|speak|ask|confirm|see|pull|get|grab|transfer|have a look|go] ~ [hold|bear with me|one moment|a moment|a minute|a sec|a second]",
      ],
    },
  ],
};

const outcome: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    "[I've|I have|we've|we have|I just|I've just|I have just|I went ahead and|I've gone ahead and|I've now|I have now] ~ [cancel-|update-|chang-|sent|ordered|process-|refund-|credit-|reset|unblock-|block-|raised|booked|arranged|scheduled|logged|added|removed|applied|fixed|resolved|sorted|set up|issued|reissued|submitted|escalated|requested|emailed|posted|extended|waived|revers-|rebooked|switched|activated|moved|corrected|amended|put through|noted|flagged|made|reported|renewed|paid|approved|confirmed|saved|recorded|opened|closed|lodged|filed|reactivated|restored|adjusted|sent out|dispatched|organised|organized|replaced]",
    "[that's|that is|it's|it is|that has|it has|this has|that'll|that will|everything's|everything is|you're|you are|your [order|booking|payment|refund|card|account|appointment|claim|request|address|plan]] [been|now|all]? [done|sorted|cancelled|canceled|updated|processed|fixed|resolved|booked|sent|set up|gone through|complete|completed|confirmed|approved|applied|arranged|changed|all set|good to go|on its way|in place|active|reactivated|unblocked|refunded|credited|scheduled|raised|logged|escalated]",
    "[you'll|you will|you should|you shall|you'd|you would] [now|also]? [receive|get|see|be getting|be receiving|hear|have|be able to|need to|want to|be contacted|be sent|be charged|be refunded|be credited|notice]",
    '[within|in the next|in about|in around|over the next|by] ~ [day|days|hours|working days|business days|minutes|weeks|week|tomorrow|monday|tuesday|wednesday|thursday|friday|end of]',
    '[the|your] next [step|steps] [is|are|will be|would be]?',
    "[what|here's what] [will|is going to|happens|is gonna] [happen|next]?",
    "[someone|somebody|an engineer|a technician|a specialist|the team|a colleague|our team|a manager|a supervisor|the courier|the driver|a nurse|the doctor|we] [will|'ll|should|is going to|are going to] ~ [call|contact|be in touch|visit|get back|email|text|come|arrive|ring|review|look into|send|deliver|collect|follow up]",
    "[should|will|it'll|that'll|they'll] [arrive|be with you|reach you|show up|appear|be delivered|be credited|be back|be sorted|come through|be processed|be fixed|be restored|drop|update|clear|go through]",
    'confirmation [email|text|number|letter|message|sms]',
    '[keep an eye|look out] [out]? for',
    'all [sorted|set|done|good]',
    '[the reason|the problem|the issue|it was|that was] [is|was] [that|because]',
    "[to|you can|you just need to|all you need to do is|you'll need to|you will need to|you need to|just] [go to|log in|log into|visit|click|tap|select|call|ring|bring|send|fill|take|pop|head]",
  ],
};

const resolutionCheck: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  phrases: [
    '[does|did|has|have|will|would] [that|this|everything|I|it|we] ~ [answer-|help-|resolve-|sort-|make sense|cover-|clear-|fix-|solve-|work-|explain-|address-|take care of]',
    '[is|are|was|were] [that|this|everything|you|it|we|your [query|question|issue|problem]] ~ [ok|okay|alright|all right|clear|sorted|resolved|fine|good|happy|satisfied|what you needed|what you were after|working|sorted out|answered|fixed|all good|better|clearer|set|covered]',
    'have I [answered|resolved|helped|covered|sorted|fixed|explained|addressed]',
    '[are you|you] [happy|ok|okay|alright|satisfied|good|fine] with [that|this|the|everything]',
    '[does|is] that [work|all work|ok|okay|alright|good] for you',
    '[can|could] you [see|confirm] ~ [now|working|come through|updated|received|arrived]',
    '[make|makes] sense',
    '[sound|sounds] [good|ok|okay|alright|fair|all right]',
    '[happy|good|okay|ok] with that',
    '[any|do you have any|have you got any|got any] [other]? [questions|question|queries|query] [about|on|regarding] [that|this|it]',
    'is [that|this] [everything|all] [you needed|sorted|you were after]',
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
    '[any|are there any|do you have any|have you got any|got any] [other|more|further] [questions|queries|issues|concerns|problems]',
    '[anything|something] more [I|we] [can|could]',
    '[help|assist] [you]? [further|with anything further]',
  ],
};

const politeClose: Signal = {
  kind: 'phrases',
  speakers: [...agent],
  lastTurns: 2,
  phrases: [
    '[thank you|thanks|cheers|thankyou|ty|thx] [for|very much|so much|a lot|again]?',
    'have a [good|great|nice|lovely|wonderful|pleasant|fantastic|brilliant|blessed|super|good rest of|great rest of|nice rest of] ~ [day|evening|afternoon|morning|weekend|night|one|week|rest]',
    "[goodbye|bye|take care|all the best|enjoy your|speak soon|talk soon|good night|goodnight|bye bye|bye now|cheerio|ta-ra|tara|farewell|stay safe|best wishes|pleasure speaking|pleasure talking|nice speaking|nice talking|lovely speaking|great speaking|you're welcome|you are welcome|my pleasure|no problem at all]",
  ],
};

const abuse: Signal = {
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
            expect: { kind: 'present', signal: verificationRequest, before: accountDetails, answered: { speakers: ['customer'], refusals } },
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
                { kind: 'present', signal: politeClose },
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
