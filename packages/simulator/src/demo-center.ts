import { localDateOf, toLocalSlot, weekdayOf } from '@switchboard/calendar';
import type { AgentConfig, CenterConfig, ShiftConfig } from '@switchboard/contracts';
import { createTraffic, defaultDayFactors, type TrafficConfig } from './traffic.ts';

/**
 * "Harbor Bank" customer service: 120 agents in 8 teams, 9 queues over voice, chat and
 * email, and one virtual assistant in front of voice and chat. Shifts are local time in
 * New York; six full-timers per team also work a weekend day (three Saturday, three Sunday).
 */

const firstNames = [
  'Maria',
  'James',
  'Aisha',
  'Daniel',
  'Sofia',
  'Michael',
  'Priya',
  'David',
  'Emily',
  'Carlos',
  'Grace',
  'Kevin',
  'Olivia',
  'Anthony',
  'Hannah',
  'Jamal',
  'Chloe',
  'Luis',
  'Megan',
  'Andre',
  'Natalie',
  'Brian',
  'Fatima',
  'Jason',
  'Rachel',
  'Marcus',
  'Lauren',
  'Hiroshi',
  'Vanessa',
  'Tyler',
  'Camila',
  'Eric',
  'Jasmine',
  'Patrick',
  'Mei',
  'Derek',
  'Isabel',
  'Omar',
  'Kayla',
  'Victor',
  'Leah',
  'Samuel',
  'Tiana',
  'Ryan',
  'Elena',
  'Dylan',
  'Nadia',
  'Gabriel',
  'Brooke',
  'Kwame',
  'Alyssa',
  'Raj',
  'Monica',
  'Trevor',
  'Yesenia',
  'Connor',
  'Imani',
  'Diego',
  'Kristen',
  'Wei',
];
const lastNames = [
  'Gonzalez',
  'Walker',
  'Rahman',
  'Kim',
  'Rossi',
  'Johnson',
  'Patel',
  'Nguyen',
  'Brooks',
  'Mendoza',
  'Okafor',
  'Sullivan',
  'Chen',
  'Rivera',
  'Schmidt',
  'Washington',
  'Dubois',
  'Herrera',
  'Murphy',
  'Baptiste',
  'Kowalski',
  'Foster',
  'Haddad',
  'Lee',
  'Goldberg',
  'Bennett',
  'Morales',
  'Tanaka',
  'Castillo',
  'Reed',
  'Alvarez',
  'Larsen',
  'Coleman',
  "O'Brien",
  'Zhang',
  'Hughes',
  'Navarro',
  'Farouk',
  'Price',
  'Ortiz',
  'Friedman',
  'Adeyemi',
  'Jenkins',
  'Park',
  'Petrov',
  'Ward',
  'Karimi',
  'Silva',
  'Hayes',
  'Mensah',
  'Romero',
  'Sharma',
  'Delgado',
  'Fischer',
  'Ramos',
  'Gallagher',
  'Owens',
  'Vargas',
  'Lindqvist',
  'Huang',
];

interface TeamPlan {
  id: string;
  name: string;
  size: number;
  /** Skill and proficiency; the second number is for every third agent, still learning. */
  skills: [skill: string, proficiency: number, learner: number][];
  chatConcurrency: number;
}

const teamPlans: TeamPlan[] = [
  {
    id: 'retail-a',
    name: 'Retail Banking A',
    size: 15,
    skills: [
      ['general_banking', 5, 3],
      ['cards', 3, 2],
    ],
    chatConcurrency: 1,
  },
  {
    id: 'retail-b',
    name: 'Retail Banking B',
    size: 15,
    skills: [
      ['general_banking', 4, 3],
      ['cards', 3, 2],
    ],
    chatConcurrency: 1,
  },
  {
    id: 'cards-fraud',
    name: 'Cards & Fraud',
    size: 17,
    skills: [
      ['cards', 5, 4],
      ['fraud', 4, 3],
    ],
    chatConcurrency: 1,
  },
  {
    id: 'lending',
    name: 'Lending',
    size: 13,
    skills: [
      ['lending', 5, 4],
      ['general_banking', 3, 2],
    ],
    chatConcurrency: 1,
  },
  {
    id: 'online-support',
    name: 'Online Banking Support',
    size: 14,
    skills: [
      ['online_banking', 5, 4],
      ['general_banking', 2, 2],
    ],
    chatConcurrency: 1,
  },
  {
    id: 'digital-chat',
    name: 'Digital Chat',
    size: 15,
    skills: [
      ['chat_service', 5, 3],
      ['chat_online', 3, 2],
    ],
    chatConcurrency: 3,
  },
  {
    id: 'back-office',
    name: 'Back Office',
    size: 16,
    skills: [
      ['email_service', 5, 4],
      ['email_disputes', 4, 3],
    ],
    chatConcurrency: 1,
  },
  {
    id: 'customer-care',
    name: 'Customer Care',
    size: 15,
    skills: [
      ['general_banking', 4, 3],
      ['lending', 3, 2],
      ['email_service', 3, 2],
    ],
    chatConcurrency: 1,
  },
];

interface ShiftPattern {
  start: number;
  minutes: number;
  /** Share of each team working this pattern. */
  share: number;
}

const FULL_TIME = 8 * 60 + 30;
/**
 * Full-time shifts staggered from 07:00 to 12:30 follow the bank's intraday curve (ramp to a
 * 10:00–11:00 peak, long evening tail); part-timers cover the late-morning peak and the evening.
 */
const shiftPatterns: ShiftPattern[] = [
  { start: 7 * 60, minutes: FULL_TIME, share: 0.15 },
  { start: 7 * 60 + 30, minutes: FULL_TIME, share: 0.065 },
  { start: 8 * 60, minutes: FULL_TIME, share: 0.165 },
  { start: 8 * 60 + 30, minutes: FULL_TIME, share: 0.085 },
  { start: 9 * 60, minutes: FULL_TIME, share: 0.115 },
  { start: 10 * 60, minutes: FULL_TIME, share: 0.065 },
  { start: 11 * 60, minutes: FULL_TIME, share: 0.065 },
  { start: 12 * 60 + 30, minutes: FULL_TIME, share: 0.14 },
  { start: 9 * 60, minutes: 4 * 60, share: 0.05 },
  { start: 16 * 60 + 45, minutes: 4 * 60 + 30, share: 0.1 },
];
const monToFri = [1, 2, 3, 4, 5];
/** Weekend crews keep a five-day week: off Friday+Saturday, or Thursday+Sunday. */
const sundayCrew = [0, 1, 2, 3, 4];
const saturdayCrew = [1, 2, 3, 5, 6];

/** Largest-remainder split of a team over the patterns: full-timers by start time, then part-timers. */
function getTeamPatterns(size: number): ShiftPattern[] {
  const exact = shiftPatterns.map((p) => p.share * size);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < size; k++) counts[order[k]![1]]! += 1;
  return shiftPatterns.flatMap((p, i) => new Array<ShiftPattern>(counts[i]!).fill(p));
}

function getShift(pattern: ShiftPattern, weekdays: number[], agentIndex: number): ShiftConfig {
  // Breaks and lunches are staggered so a team never leaves the floor together.
  const stagger = (agentIndex % 3) * 15;
  const breaks: ShiftConfig['breaks'] =
    pattern.minutes === FULL_TIME
      ? [
          { kind: 'break', offset_minutes: 105 + stagger, minutes: 15 },
          { kind: 'lunch', offset_minutes: 225 + stagger, minutes: 30 },
          { kind: 'break', offset_minutes: 375 + stagger, minutes: 15 },
        ]
      : [{ kind: 'break', offset_minutes: 105 + stagger, minutes: 15 }];
  return { start_minute: pattern.start, length_minutes: pattern.minutes, weekdays, breaks };
}

/** Six full-timers per team (early, mid-day and late starters) also work one weekend day each. */
function getWeekdays(position: number, fullTimers: number): number[] {
  const middle = Math.floor(fullTimers / 2);
  if (position === 0 || position === middle || position === fullTimers - 1) return sundayCrew;
  if (position === 1 || position === middle + 1 || position === fullTimers - 2) return saturdayCrew;
  return monToFri;
}

function createAgents(): AgentConfig[] {
  const agents: AgentConfig[] = [];
  for (const team of teamPlans) {
    const patterns = getTeamPatterns(team.size);
    const fullTimers = patterns.filter((p) => p.minutes === FULL_TIME).length;
    patterns.forEach((pattern, position) => {
      const i = agents.length;
      agents.push({
        id: `agent-${String(i + 1).padStart(3, '0')}`,
        display_name: `${firstNames[i % firstNames.length]} ${lastNames[(i * 7 + Math.floor(i / lastNames.length)) % lastNames.length]}`,
        team_id: team.id,
        skills: team.skills.map(([skill_id, proficiency, learner]) => ({ skill_id, proficiency: i % 3 === 2 ? learner : proficiency })),
        chat_concurrency: team.chatConcurrency,
        shift: getShift(pattern, getWeekdays(position, fullTimers), i),
      });
    });
  }
  return agents;
}

export const demoCenter: CenterConfig = {
  timezone: 'America/New_York',
  skills: [
    { id: 'general_banking', name: 'General banking' },
    { id: 'cards', name: 'Cards' },
    { id: 'fraud', name: 'Fraud & security' },
    { id: 'lending', name: 'Loans & mortgages' },
    { id: 'online_banking', name: 'Online banking' },
    { id: 'chat_service', name: 'Chat service' },
    { id: 'chat_online', name: 'Chat online banking' },
    { id: 'email_service', name: 'Email service' },
    { id: 'email_disputes', name: 'Email disputes' },
  ],
  teams: teamPlans.map(({ id, name }) => ({ id, name })),
  agents: createAgents(),
  queues: [
    { id: 'general-voice', name: 'General Banking', channel: 'voice', skill_id: 'general_banking', sl_threshold_s: 20, sl_target: 0.8 },
    { id: 'cards-voice', name: 'Cards', channel: 'voice', skill_id: 'cards', sl_threshold_s: 20, sl_target: 0.8 },
    { id: 'fraud-voice', name: 'Fraud & Security', channel: 'voice', skill_id: 'fraud', sl_threshold_s: 20, sl_target: 0.8 },
    { id: 'loans-voice', name: 'Loans & Mortgages', channel: 'voice', skill_id: 'lending', sl_threshold_s: 30, sl_target: 0.8 },
    { id: 'online-voice', name: 'Online Banking Support', channel: 'voice', skill_id: 'online_banking', sl_threshold_s: 30, sl_target: 0.75 },
    { id: 'service-chat', name: 'Chat: Service', channel: 'chat', skill_id: 'chat_service', sl_threshold_s: 60, sl_target: 0.8 },
    { id: 'online-chat', name: 'Chat: Online Banking', channel: 'chat', skill_id: 'chat_online', sl_threshold_s: 60, sl_target: 0.8 },
    { id: 'service-email', name: 'Email: Service', channel: 'email', skill_id: 'email_service', sl_threshold_s: 300, sl_target: 0.5 },
    { id: 'disputes-email', name: 'Email: Disputes', channel: 'email', skill_id: 'email_disputes', sl_threshold_s: 300, sl_target: 0.5 },
  ],
  bots: [{ id: 'ava', name: 'Ava virtual assistant', channels: ['voice', 'chat'] }],
  intents: [
    { id: 'check_balance', bot_id: 'ava', label: 'Check balance', queue_id: 'general-voice' },
    { id: 'card_activation', bot_id: 'ava', label: 'Activate a card', queue_id: 'cards-voice' },
    { id: 'lost_card', bot_id: 'ava', label: 'Lost or stolen card', queue_id: 'cards-voice' },
    { id: 'suspicious_charge', bot_id: 'ava', label: 'Suspicious transaction', queue_id: 'fraud-voice' },
    { id: 'loan_payoff', bot_id: 'ava', label: 'Loan payoff quote', queue_id: 'loans-voice' },
    { id: 'password_reset', bot_id: 'ava', label: 'Reset password', queue_id: 'online-voice' },
    { id: 'transfer_funds', bot_id: 'ava', label: 'Transfer money', queue_id: 'service-chat' },
    { id: 'statement_copy', bot_id: 'ava', label: 'Copy of a statement', queue_id: 'service-chat' },
    { id: 'app_login', bot_id: 'ava', label: 'Mobile app sign-in problem', queue_id: 'online-chat' },
  ],
};

/**
 * Where the first command puts the demo center (SWITCHBOARD_DEMO_TIMEZONE=auto): cities with
 * contact centers around the globe, no more than three hours apart, so that whenever someone
 * starts it one of them is in its working day. Shifts and opening hours are local clock
 * times, so the center works the same day wherever it is.
 */
export const demoTimezones = [
  'Pacific/Honolulu',
  'America/Los_Angeles',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Atlantic/Azores',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Bangkok',
  'Asia/Manila',
  'Australia/Sydney',
  'Pacific/Auckland',
] as const;

/** Late morning on the local clock: most of the working day still ahead, the morning's history behind. */
const DEMO_LOCAL_MINUTE = 10 * 60 + 30;

/** The demo time zone where it is now closest to late morning, a weekday before a weekend day. */
export function pickDemoTimezone(now: Date): string {
  const score = (zone: string) => {
    const minute = toLocalSlot(now, zone, 15).slot * 15;
    const weekday = weekdayOf(localDateOf(now, zone));
    return Math.abs(minute - DEMO_LOCAL_MINUTE) + (weekday === 0 || weekday === 6 ? 120 : 0);
  };
  return demoTimezones.reduce((best, zone) => (score(zone) < score(best) ? zone : best));
}

/** The demo's contact volumes and behaviour: about 7,900 contacts on a mean weekday (6–10k across weekdays), 1,600 to 1,700 on a weekend day. */
export const demoTraffic: TrafficConfig = createTraffic(demoCenter, {
  // Weekends at a fifth of a weekday: with the weekend crews (a fifth of the floor) each agent
  // is as busy as on a weekday, and a demo started on a weekend still has contacts every minute.
  day_factors: [0.2, ...defaultDayFactors.slice(1, 6), 0.22],
  queues: {
    'general-voice': {
      daily_volume: 2600,
      bot_share: 0.45,
      transfer_probability: 0.04,
      transfer_to: ['cards-voice', 'loans-voice'],
      topics: ['a payment that has not arrived', 'my account balance', 'a fee on my account', 'updating my address', 'a direct deposit'],
    },
    'cards-voice': {
      daily_volume: 1150,
      bot_share: 0.4,
      transfer_probability: 0.05,
      transfer_to: ['fraud-voice'],
      topics: ['my credit card limit', 'a declined card', 'a replacement card', 'my card PIN'],
    },
    'fraud-voice': {
      daily_volume: 380,
      bot_share: 0.3,
      talk: { median_s: 330, sigma: 0.6 },
      patience_mean_s: 420,
      topics: ['a charge I do not recognise', 'a phishing text I received', 'my card being blocked'],
    },
    'loans-voice': {
      daily_volume: 450,
      bot_share: 0.25,
      talk: { median_s: 300, sigma: 0.7 },
      topics: ['my mortgage payment', 'refinancing', 'an auto loan application', 'my payoff amount'],
    },
    'online-voice': {
      daily_volume: 400,
      bot_share: 0.3,
      topics: ['logging in to online banking', 'two-factor codes', 'setting up bill pay'],
    },
    'service-chat': {
      daily_volume: 1300,
      bot_share: 0.6,
      transfer_probability: 0.05,
      transfer_to: ['online-chat'],
      topics: ['a wire transfer', 'my statement', 'opening a savings account', 'a pending deposit'],
    },
    'online-chat': {
      daily_volume: 650,
      bot_share: 0.5,
      topics: ['the mobile app crashing', 'mobile check deposit', 'resetting my password'],
    },
    'service-email': {
      daily_volume: 700,
      transfer_probability: 0.04,
      transfer_to: ['disputes-email'],
      topics: ['closing an account', 'a copy of a cheque', 'changing my statement preferences'],
    },
    'disputes-email': {
      daily_volume: 260,
      talk: { median_s: 480, sigma: 0.6 },
      topics: ['disputing a card charge', 'a merchant refund', 'a duplicate charge'],
    },
  },
  intents: {
    check_balance: { containment: 0.75, abandonment: 0.05 },
    card_activation: { weight: 0.55, containment: 0.7, abandonment: 0.04 },
    lost_card: { weight: 0.45, containment: 0.25, abandonment: 0.04 },
    suspicious_charge: { containment: 0.1, abandonment: 0.05 },
    loan_payoff: { containment: 0.4, abandonment: 0.06 },
    password_reset: { containment: 0.6, abandonment: 0.05 },
    transfer_funds: { weight: 0.6, containment: 0.55, abandonment: 0.07 },
    statement_copy: { weight: 0.4, containment: 0.7, abandonment: 0.05 },
    app_login: { containment: 0.4, abandonment: 0.08 },
  },
});
