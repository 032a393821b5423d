import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CenterConfig } from './center.ts';
import {
  centerConfigToCsv,
  centerLists,
  diffCenterConfig,
  formatCenterDiff,
  formatImportProblem,
  mergeCenterConfig,
  parseCenterCsv,
  validateCenterConfig,
  type CenterDiff,
  type CenterList,
  type ImportProblem,
} from './center-import.ts';
import { channels } from './events.ts';
import { serviceLevelThresholdsS } from './ingest.ts';

const shift = { start_minute: 8 * 60, length_minutes: 480, weekdays: [1, 2, 3, 4, 5], breaks: [{ kind: 'lunch' as const, offset_minutes: 240, minutes: 30 }] };

const stored: CenterConfig = {
  timezone: 'America/New_York',
  skills: [
    { id: 'billing', name: 'Billing' },
    { id: 'cards', name: 'Cards' },
    { id: 'sales', name: 'Sales' },
  ],
  teams: [
    { id: 't-north', name: 'North' },
    { id: 't-south', name: 'South' },
  ],
  agents: [
    { id: 'a-101', display_name: 'Maria Gonzalez', team_id: 't-north', skills: [{ skill_id: 'billing', proficiency: 4 }], chat_concurrency: 1, shift },
    {
      id: 'a-102',
      display_name: 'James Walker',
      team_id: 't-south',
      skills: [
        { skill_id: 'billing', proficiency: 3 },
        { skill_id: 'sales', proficiency: 2 },
      ],
      chat_concurrency: 2,
      shift,
    },
  ],
  queues: [
    { id: 'q-billing', name: 'Billing', channel: 'voice', skill_id: 'billing', sl_threshold_s: 20, sl_target: 0.8 },
    { id: 'q-sales-chat', name: 'Sales chat', channel: 'chat', skill_id: 'sales', sl_threshold_s: 60, sl_target: 0.9 },
  ],
  bots: [{ id: 'va', name: 'Virtual assistant', channels: ['voice', 'chat'] }],
  intents: [{ id: 'lost-card', bot_id: 'va', label: 'Lost card', queue_id: 'q-billing' }],
};

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const agentsHeader = 'agent_id,display_name,team_id,skills,chat_concurrency,shift_start,shift_length_minutes,shift_weekdays,breaks';

function parsed(files: Partial<Record<CenterList, string>>, existing: CenterConfig | null = stored) {
  const result = parseCenterCsv(files, 'America/New_York', existing ?? undefined);
  if ('problems' in result) throw new Error(result.problems.map(formatImportProblem).join('\n'));
  return result;
}

function problemsOf(files: Partial<Record<CenterList, string>>, existing: CenterConfig | null = stored, timezone = 'America/New_York'): ImportProblem[] {
  const result = parseCenterCsv(files, timezone, existing ?? undefined);
  return 'problems' in result ? result.problems : [];
}

/** agents.csv with one agent whose cells are the defaults below, overridden by `cells`. */
function oneAgent(cells: Record<string, string>) {
  const row: Record<string, string> = {
    agent_id: 'a-200',
    display_name: 'Jo Park',
    team_id: 't-north',
    skills: 'billing:4',
    chat_concurrency: '1',
    shift_start: '08:00',
    shift_length_minutes: '480',
    shift_weekdays: 'Mon-Fri',
    breaks: '',
    ...cells,
  };
  return { agents: csv(Object.keys(row).join(','), Object.values(row).join(',')) };
}

const agentOf = (cells: Record<string, string>) => parsed(oneAgent(cells)).config.agents[0];

describe('agents.csv cells', () => {
  it.each([
    ['Mon-Fri', [1, 2, 3, 4, 5]],
    ['Mon;Tue;Sat', [1, 2, 6]],
    ['Sun-Thu', [0, 1, 2, 3, 4]],
    ['Fri-Mon', [0, 1, 5, 6]],
    ['Mon-Sun', [0, 1, 2, 3, 4, 5, 6]],
    ['sat; SUNDAY', [0, 6]],
    ['Mon-Wed;Tue;Fri', [1, 2, 3, 5]],
    ['Wed', [3]],
  ])('shift_weekdays %s', (cell, weekdays) => {
    expect(agentOf({ shift_weekdays: cell })?.shift.weekdays).toEqual(weekdays);
  });

  it.each([
    ['', []],
    [
      'break@120+15;lunch@240+30',
      [
        { kind: 'break', offset_minutes: 120, minutes: 15 },
        { kind: 'lunch', offset_minutes: 240, minutes: 30 },
      ],
    ],
    ['Lunch @ 240 + 30;', [{ kind: 'lunch', offset_minutes: 240, minutes: 30 }]],
  ])('breaks %j', (cell, breaks) => {
    expect(agentOf({ breaks: cell })?.shift.breaks).toEqual(breaks);
  });

  it.each([
    [
      'billing:4;sales:2',
      [
        { skill_id: 'billing', proficiency: 4 },
        { skill_id: 'sales', proficiency: 2 },
      ],
    ],
    ['sales : 1', [{ skill_id: 'sales', proficiency: 1 }]],
  ])('skills %s', (cell, skills) => {
    expect(agentOf({ skills: cell })?.skills).toEqual(skills);
  });

  it.each([
    ['07:30', 450],
    ['7:30', 450],
    ['00:00', 0],
    ['23:59', 1439],
  ])('shift_start %s', (cell, minute) => {
    expect(agentOf({ shift_start: cell })?.shift.start_minute).toBe(minute);
  });

  it('chat_concurrency and breaks default to 1 and none, when empty or when the column is absent', () => {
    expect(agentOf({ chat_concurrency: '' })?.chat_concurrency).toBe(1);
    expect(agentOf({ chat_concurrency: '3' })?.chat_concurrency).toBe(3);
    const agents = csv(
      'agent_id,display_name,team_id,skills,shift_start,shift_length_minutes,shift_weekdays',
      'a-200,Jo Park,t-north,billing:4,08:00,480,Mon-Fri',
    );
    expect(parsed({ agents }).config.agents[0]).toMatchObject({ chat_concurrency: 1, shift: { breaks: [] } });
  });

  it.each([
    ['shift_weekdays', 'Mo-Fr', '"Mo-Fr" is not a day (Sun … Sat) or a range of days (Mon-Fri)'],
    ['shift_weekdays', 'Mon-Fri-Sat', '"Mon-Fri-Sat" is not a day (Sun … Sat) or a range of days (Mon-Fri)'],
    ['shift_weekdays', 'Mon-', '"Mon-" is not a day (Sun … Sat) or a range of days (Mon-Fri)'],
    ['breaks', 'nap@10+5', '"nap@10+5": kind: Invalid option: expected one of "break"|"lunch"'],
    ['breaks', 'lunch@240', '"lunch@240" is not like lunch@240+30'],
    ['breaks', 'lunch@240+150', '"lunch@240+150": minutes: Too big: expected number to be <=120'],
    ['breaks', 'lunch@460+30', 'lunch from minute 460 to 490 ends after the 480-minute shift'],
    ['skills', 'billing', '"billing" is not like billing:4'],
    ['skills', 'billing:7', '"billing:7": proficiency: Too big: expected number to be <=5'],
    ['skills', 'billing:4;billing:3', 'skill "billing" is listed twice'],
    ['skills', 'billing:4;payroll:3', 'unknown skill "payroll"'],
    ['shift_start', '24:00', '"24:00" is not a time of day (HH:MM, 00:00 to 23:59)'],
    ['shift_start', '7.30', '"7.30" is not a time of day (HH:MM, 00:00 to 23:59)'],
    ['shift_length_minutes', '8h', '"8h" is not a whole number'],
    ['shift_length_minutes', '20', 'Too small: expected number to be >=30'],
    ['chat_concurrency', '9', 'Too big: expected number to be <=8'],
    ['team_id', '', 'required'],
    ['agent_id', 'A 200', 'lowercase letters, digits, - and _ only'],
  ])('%s %j is refused', (column, cell, message) => {
    expect(problemsOf(oneAgent({ [column]: cell }))).toEqual([{ file: 'agents.csv', row: 2, column, message }]);
  });
});

describe('queues.csv sl_target', () => {
  const queueWith = (target: string) => ({ queues: csv('queue_id,name,channel,skill_id,sl_threshold_s,sl_target', `q-new,New,Voice,billing,20,${target}`) });

  it.each([
    ['0.8', 0.8],
    ['80%', 0.8],
    ['85.5 %', 0.855],
    ['1', 1],
    ['100%', 1],
  ])('%s', (cell, target) => {
    expect(parsed(queueWith(cell)).config.queues[0]).toMatchObject({ channel: 'voice', sl_target: target });
  });

  it.each([
    ['80', '"80" is more than 1: write a share (0.8) or a percentage (80%)'],
    ['high', '"high" is not a share (0.8) or a percentage (80%)'],
    ['0', 'Too small: expected number to be >0'],
    ['120%', 'Too big: expected number to be <=1'],
  ])('%s is refused', (cell, message) => {
    expect(problemsOf(queueWith(cell))).toEqual([{ file: 'queues.csv', row: 2, column: 'sl_target', message }]);
  });
});

describe('parseCenterCsv', () => {
  it('reads every file, and says which lists it was given', () => {
    const result = parsed(
      {
        skills: csv('skill_id,name', 'billing,Billing', 'cards,Cards'),
        teams: csv('team_id,name', 't-north,North'),
        agents: csv(agentsHeader, 'a-1,"Park, Jo",t-north,billing:4;cards:2,2,09:00,450,Sun-Thu,break@120+15;lunch@240+30'),
        queues: csv('queue_id,name,channel,skill_id,sl_threshold_s,sl_target', 'q-cards,Cards,chat,cards,30,75%'),
        bots: csv('bot_id,name,channels', 'va,Assistant,voice;chat'),
        intents: csv('intent_id,bot_id,label,queue_id', 'card-lost,va,Lost card,q-cards'),
      },
      null,
    );
    expect(result.lists).toEqual([...centerLists]);
    expect(result.config).toEqual({
      timezone: 'America/New_York',
      skills: [
        { id: 'billing', name: 'Billing' },
        { id: 'cards', name: 'Cards' },
      ],
      teams: [{ id: 't-north', name: 'North' }],
      agents: [
        {
          id: 'a-1',
          display_name: 'Park, Jo',
          team_id: 't-north',
          skills: [
            { skill_id: 'billing', proficiency: 4 },
            { skill_id: 'cards', proficiency: 2 },
          ],
          chat_concurrency: 2,
          shift: {
            start_minute: 540,
            length_minutes: 450,
            weekdays: [0, 1, 2, 3, 4],
            breaks: [
              { kind: 'break', offset_minutes: 120, minutes: 15 },
              { kind: 'lunch', offset_minutes: 240, minutes: 30 },
            ],
          },
        },
      ],
      queues: [{ id: 'q-cards', name: 'Cards', channel: 'chat', skill_id: 'cards', sl_threshold_s: 30, sl_target: 0.75 }],
      bots: [{ id: 'va', name: 'Assistant', channels: ['voice', 'chat'] }],
      intents: [{ id: 'card-lost', bot_id: 'va', label: 'Lost card', queue_id: 'q-cards' }],
    });
  });

  it('accepts a UTF-8 BOM, CRLF, header case and spacing, trimmed cells and blank rows', () => {
    const result = parsed({ skills: '\ufeffSkill_ID , Name\r\n\r\n  payroll ,  Payroll desk \r\n,\r\n' });
    expect(result).toEqual({ config: expect.objectContaining({ skills: [{ id: 'payroll', name: 'Payroll desk' }] }), lists: ['skills'] });
  });

  it('reports every bad cell of an import with its file, row and column', () => {
    const problems = problemsOf({
      teams: csv('team_id,name', 't-west,West', 't-west,West again'),
      agents: csv(
        agentsHeader,
        'a-201,Jo Park,t-west,billing:4,1,08:00,480,Mon-Fri,lunch@240+30',
        '',
        'a-202,Sam Lee,t-east,billing:4;sales:9,1,8:00,480,Mon-Fri,',
        'a-203,Ana Ruiz,t-north,billing:3,12,08:00,480,Mo-Fr,lunch@470+30',
        'a-204,,t-north,,1,25:00,480,Mon-Fri,',
        'a-205,Kim Lo,t-north,billing:3,1,08:00,480,Mon-Fri,,extra',
      ),
      queues: csv('queue_id,name,channel,skill_id,sl_threshold_s,sl_target', 'q-new,New,fax,billing,25,80%', 'q-two,Two,chat,payroll,20,0.8'),
      intents: csv('intent_id,bot_id,label,queue_id', 'refund,va,Refund,q-gone'),
    });
    expect(problems).toEqual([
      { file: 'teams.csv', row: 2, column: 'team_id', message: 'id "t-west" is used 2 times' },
      { file: 'teams.csv', row: 3, column: 'team_id', message: 'id "t-west" is used 2 times' },
      { file: 'agents.csv', row: 4, column: 'skills', message: '"sales:9": proficiency: Too big: expected number to be <=5' },
      { file: 'agents.csv', row: 4, column: 'team_id', message: 'unknown team "t-east"' },
      { file: 'agents.csv', row: 5, column: 'shift_weekdays', message: '"Mo-Fr" is not a day (Sun … Sat) or a range of days (Mon-Fri)' },
      { file: 'agents.csv', row: 5, column: 'chat_concurrency', message: 'Too big: expected number to be <=8' },
      { file: 'agents.csv', row: 5, column: 'breaks', message: 'lunch from minute 470 to 500 ends after the 480-minute shift' },
      { file: 'agents.csv', row: 6, column: 'display_name', message: 'required' },
      { file: 'agents.csv', row: 6, column: 'skills', message: 'required' },
      { file: 'agents.csv', row: 6, column: 'shift_start', message: '"25:00" is not a time of day (HH:MM, 00:00 to 23:59)' },
      { file: 'agents.csv', row: 7, message: '10 cells but the header has 9 (a value with a comma needs quotes)' },
      { file: 'queues.csv', row: 2, column: 'channel', message: 'Invalid option: expected one of "voice"|"chat"|"email"|"sms"|"social"' },
      { file: 'queues.csv', row: 2, column: 'sl_threshold_s', message: `expected one of ${serviceLevelThresholdsS.join(', ')}` },
      { file: 'queues.csv', row: 3, column: 'skill_id', message: 'unknown skill "payroll"' },
      { file: 'intents.csv', row: 2, column: 'queue_id', message: 'unknown queue "q-gone"' },
    ]);
  });

  it('resolves references against the import and the stored configuration', () => {
    const files = {
      teams: csv('team_id,name', 't-west,West'),
      agents: csv(agentsHeader, 'a-201,Jo Park,t-west,cards:2,1,08:00,480,Mon-Fri,', 'a-202,Sam Lee,t-north,billing:4,1,08:00,480,Mon-Fri,'),
    };
    expect(parsed(files).lists).toEqual(['teams', 'agents']);
    expect(problemsOf(files, null)).toEqual([
      { file: 'agents.csv', row: 2, column: 'skills', message: 'unknown skill "cards"' },
      { file: 'agents.csv', row: 3, column: 'team_id', message: 'unknown team "t-north"' },
      { file: 'agents.csv', row: 3, column: 'skills', message: 'unknown skill "billing"' },
    ]);
  });

  it('reports duplicate ids on every row that uses them', () => {
    const agents = csv(agentsHeader, ...['a-1', 'a-2', 'a-1', 'a-1'].map((id) => `${id},Jo Park,t-north,billing:4,1,08:00,480,Mon-Fri,`));
    expect(problemsOf({ agents }).map((p) => [p.row, p.column, p.message])).toEqual([
      [2, 'agent_id', 'id "a-1" is used 3 times'],
      [4, 'agent_id', 'id "a-1" is used 3 times'],
      [5, 'agent_id', 'id "a-1" is used 3 times'],
    ]);
  });

  it('reports header problems alone, naming the header and the file', () => {
    expect(
      problemsOf({
        skills: csv('skill_id,name,colour', 'billing,Billing,red'),
        teams: csv('team_id', 't-west'),
        agents: csv(agentsHeader.replace('shift_weekdays', 'shift_days'), 'bad row'),
        queues: csv('queue_id;name;channel;skill_id;sl_threshold_s;sl_target'),
        bots: csv('bot_id,name,channels,name,'),
        intents: '',
      }),
    ).toEqual([
      { file: 'skills.csv', row: 1, column: 'colour', message: 'unknown column "colour": skills.csv has the columns skill_id, name' },
      { file: 'teams.csv', row: 1, column: 'name', message: 'missing column "name"' },
      {
        file: 'agents.csv',
        row: 1,
        column: 'shift_days',
        message:
          'unknown column "shift_days": agents.csv has the columns agent_id, display_name, team_id, skills, chat_concurrency, shift_start, shift_length_minutes, shift_weekdays, breaks',
      },
      { file: 'agents.csv', row: 1, column: 'shift_weekdays', message: 'missing column "shift_weekdays"' },
      {
        file: 'queues.csv',
        row: 1,
        column: 'queue_id;name;channel;skill_id;sl_threshold_s;sl_target',
        message: 'unknown column "queue_id;name;channel;skill_id;sl_threshold_s;sl_target": columns are separated by commas, not semicolons',
      },
      ...['queue_id', 'name', 'channel', 'skill_id', 'sl_threshold_s', 'sl_target'].map((column) => ({
        file: 'queues.csv',
        row: 1,
        column,
        message: `missing column "${column}"`,
      })),
      { file: 'bots.csv', row: 1, column: 'name', message: 'column "name" appears twice' },
      { file: 'bots.csv', row: 1, message: 'column 5 has no header' },
      { file: 'intents.csv', row: 1, message: 'row 1 must be the header: intent_id,bot_id,label,queue_id' },
    ]);
  });

  it('reports an unterminated quote on its row', () => {
    expect(problemsOf({ skills: csv('skill_id,name', 'billing,Billing', 'cards,"Cards') })).toEqual([
      { file: 'skills.csv', row: 3, message: 'Quoted field unterminated' },
    ]);
  });

  it('checks the timezone it is given', () => {
    expect(problemsOf({ skills: csv('skill_id,name') }, stored, 'Europe/Lndon')).toEqual([
      { file: 'timezone', message: 'unknown time zone "Europe/Lndon": use an IANA name such as Europe/London' },
    ]);
  });
});

describe('validateCenterConfig', () => {
  it('accepts a valid configuration', () => {
    expect(validateCenterConfig(stored)).toEqual([]);
  });

  it('reports every problem of a JSON import with its path', () => {
    const json = JSON.parse(JSON.stringify(stored)) as Record<string, unknown[]> & { timezone: string };
    json.timezone = 'Mars/Olympus';
    json.agents = [
      ...stored.agents,
      { ...stored.agents[0], id: 'a-101', team_id: 't-east', chat_concurrency: '2' },
      { ...stored.agents[0], id: 'a-103', shift: { ...shift, length_minutes: 250 } },
    ];
    json.queues = [{ ...stored.queues[0], sl_threshold_s: 25 }, stored.queues[1]];
    json.intents = [{ id: 'refund', bot_id: 'robot', label: 'Refund', queue_id: 'q-billing' }];
    expect(validateCenterConfig(json, undefined, 'harbor.json')).toEqual([
      { file: 'harbor.json', column: 'agents[2].chat_concurrency', message: 'Invalid input: expected number, received string' },
      { file: 'harbor.json', column: 'queues[0].sl_threshold_s', message: `expected one of ${serviceLevelThresholdsS.join(', ')}` },
      { file: 'harbor.json', column: 'agents[0].id', message: 'id "a-101" is used 2 times' },
      { file: 'harbor.json', column: 'agents[2].id', message: 'id "a-101" is used 2 times' },
      { file: 'harbor.json', column: 'agents[2].team_id', message: 'unknown team "t-east"' },
      { file: 'harbor.json', column: 'agents[3].shift.breaks[0]', message: 'lunch from minute 240 to 270 ends after the 250-minute shift' },
      { file: 'harbor.json', column: 'intents[0].bot_id', message: 'unknown bot "robot"' },
      { file: 'harbor.json', column: 'timezone', message: 'unknown time zone "Mars/Olympus": use an IANA name such as Europe/London' },
    ]);
  });

  it('resolves references against the stored configuration', () => {
    const incoming = { ...stored, skills: [], teams: [], queues: [], bots: [] };
    expect(validateCenterConfig(incoming).map((p) => p.column)).toEqual([
      'agents[0].team_id',
      'agents[0].skills[0].skill_id',
      'agents[1].team_id',
      'agents[1].skills[0].skill_id',
      'agents[1].skills[1].skill_id',
      'intents[0].bot_id',
      'intents[0].queue_id',
    ]);
    expect(validateCenterConfig(incoming, stored)).toEqual([]);
  });

  it('reports a value that is not a configuration at all', () => {
    expect(validateCenterConfig([])).toEqual([{ file: 'config.json', message: 'Invalid input: expected object, received array' }]);
  });
});

describe('formatImportProblem', () => {
  it.each([
    [{ file: 'agents.csv', row: 4, column: 'skills', message: 'unknown skill "x"' }, 'agents.csv, row 4, skills: unknown skill "x"'],
    [{ file: 'agents.csv', row: 7, message: '10 cells but the header has 9' }, 'agents.csv, row 7: 10 cells but the header has 9'],
    [{ file: 'config.json', column: 'agents[3].team_id', message: 'unknown team "t"' }, 'config.json, agents[3].team_id: unknown team "t"'],
  ])('%j', (problem, line) => {
    expect(formatImportProblem(problem)).toBe(line);
  });
});

describe('diffCenterConfig and formatCenterDiff', () => {
  const incoming: CenterConfig = {
    timezone: 'America/New_York',
    skills: [...stored.skills],
    teams: [],
    agents: [
      {
        ...stored.agents[1]!,
        // Same skill set, another order: not a change.
        skills: [
          { skill_id: 'sales', proficiency: 2 },
          { skill_id: 'billing', proficiency: 3 },
        ],
      },
      {
        ...stored.agents[0]!,
        skills: [
          { skill_id: 'billing', proficiency: 4 },
          { skill_id: 'sales', proficiency: 2 },
        ],
        chat_concurrency: 2,
        shift: { ...shift, weekdays: [0, 1, 2, 3, 4], breaks: [] },
      },
      { id: 'a-107', display_name: 'Jo Park', team_id: 't-north', skills: [{ skill_id: 'cards', proficiency: 5 }], chat_concurrency: 1, shift },
    ],
    queues: [{ ...stored.queues[0]!, name: 'Billing line', sl_target: 0.85 }],
    bots: [],
    intents: [],
  };

  it('lists added, changed, unchanged and kept items of the supplied lists only', () => {
    const diff: CenterDiff = diffCenterConfig(stored, incoming, ['skills', 'agents', 'queues']);
    expect(diff).toEqual({
      lists: {
        skills: { added: [], changed: [], unchanged: 3, kept: 0 },
        teams: undefined,
        agents: {
          added: [incoming.agents[2]],
          changed: [
            {
              id: 'a-101',
              changes: [
                { column: 'skills', from: 'billing:4', to: 'billing:4;sales:2' },
                { column: 'chat_concurrency', from: '1', to: '2' },
                { column: 'shift_weekdays', from: 'Mon-Fri', to: 'Sun-Thu' },
                { column: 'breaks', from: 'lunch@240+30', to: '' },
              ],
            },
          ],
          unchanged: 1,
          kept: 0,
        },
        queues: {
          added: [],
          changed: [
            {
              id: 'q-billing',
              changes: [
                { column: 'name', from: 'Billing', to: 'Billing line' },
                { column: 'sl_target', from: '0.8', to: '0.85' },
              ],
            },
          ],
          unchanged: 0,
          kept: 1,
        },
        bots: undefined,
        intents: undefined,
      },
    });
    expect(formatCenterDiff(diff)).toBe(
      [
        '+ agent a-107 "Jo Park" (team t-north)',
        '~ agent a-101: skills billing:4 → billing:4;sales:2, chat_concurrency 1 → 2, shift_weekdays Mon-Fri → Sun-Thu, breaks lunch@240+30 → (none)',
        '~ queue q-billing: name Billing → "Billing line", sl_target 0.8 → 0.85',
        '1 added, 2 changed, 4 unchanged, 1 kept (stored but not in the import; an import never deletes)',
      ].join('\n'),
    );
  });

  it('diffs every list by default, and the timezone', () => {
    const diff = diffCenterConfig(stored, { ...incoming, timezone: 'Europe/London' });
    expect(diff.timezone).toEqual({ from: 'America/New_York', to: 'Europe/London' });
    expect(Object.values(diff.lists).map((d) => d?.kept)).toEqual([0, 2, 0, 1, 1, 1]);
    expect(formatCenterDiff(diff).split('\n')).toEqual([
      '~ timezone: America/New_York → Europe/London',
      '+ agent a-107 "Jo Park" (team t-north)',
      expect.stringMatching(/^~ agent a-101: /),
      expect.stringMatching(/^~ queue q-billing: /),
      '1 added, 3 changed, 4 unchanged, 5 kept (stored but not in the import; an import never deletes)',
    ]);
  });

  it('describes each kind of added item', () => {
    const empty: CenterConfig = { timezone: stored.timezone, skills: [], teams: [], agents: [], queues: [], bots: [], intents: [] };
    expect(formatCenterDiff(diffCenterConfig(empty, stored))).toBe(
      [
        '+ skill billing "Billing"',
        '+ skill cards "Cards"',
        '+ skill sales "Sales"',
        '+ team t-north "North"',
        '+ team t-south "South"',
        '+ agent a-101 "Maria Gonzalez" (team t-north)',
        '+ agent a-102 "James Walker" (team t-south)',
        '+ queue q-billing "Billing" (voice, skill billing)',
        '+ queue q-sales-chat "Sales chat" (chat, skill sales)',
        '+ bot va "Virtual assistant" (voice;chat)',
        '+ intent lost-card "Lost card" (bot va, queue q-billing)',
        '11 added, 0 changed, 0 unchanged',
      ].join('\n'),
    );
    expect(formatCenterDiff(diffCenterConfig(stored, stored))).toBe('0 added, 0 changed, 11 unchanged');
  });
});

describe('mergeCenterConfig', () => {
  it('is what seedTenant leaves: imported items replace stored ones by id, nothing is removed', () => {
    const { config } = parsed({
      agents: csv(agentsHeader, 'a-102,James Walker,t-north,cards:5,1,08:00,480,Mon-Fri,', 'a-050,Ana Ruiz,t-south,sales:3,1,08:00,480,Mon-Fri,'),
    });
    const merged = mergeCenterConfig(stored, config);
    expect(merged.agents.map((a) => [a.id, a.team_id, a.skills.map((s) => s.skill_id)])).toEqual([
      ['a-050', 't-south', ['sales']],
      ['a-101', 't-north', ['billing']],
      ['a-102', 't-north', ['cards']],
    ]);
    expect({ ...merged, agents: stored.agents }).toEqual(stored);
    // seedTenant wants every reference inside the config it is given.
    expect(validateCenterConfig(merged)).toEqual([]);
  });
});

describe('centerConfigToCsv', () => {
  it('writes the columns parseCenterCsv reads, weekdays in their shortest form', () => {
    const weekdays = [[1, 2, 3, 4, 5], [0, 1, 2, 3, 4], [0, 1, 5, 6], [0, 1, 2, 3, 4, 5, 6], [1, 2, 6], [0, 6], [3]];
    const agents = weekdays.map((days, i) => ({ ...stored.agents[0]!, id: `a-${i}`, shift: { ...shift, weekdays: days } }));
    const files = centerConfigToCsv({ ...stored, agents: agents.slice(0, 1), queues: [] });
    expect(files).toEqual({
      skills: csv('skill_id,name', 'billing,Billing', 'cards,Cards', 'sales,Sales'),
      teams: csv('team_id,name', 't-north,North', 't-south,South'),
      agents: csv(agentsHeader, 'a-0,Maria Gonzalez,t-north,billing:4,1,08:00,480,Mon-Fri,lunch@240+30'),
      queues: csv('queue_id,name,channel,skill_id,sl_threshold_s,sl_target'),
      bots: csv('bot_id,name,channels', 'va,Virtual assistant,voice;chat'),
      intents: csv('intent_id,bot_id,label,queue_id', 'lost-card,va,Lost card,q-billing'),
    });
    const cells = centerConfigToCsv({ ...stored, agents })
      .agents.trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[7]);
    expect(cells).toEqual(['Mon-Fri', 'Sun-Thu', 'Fri-Mon', 'Sun-Sat', 'Mon-Tue;Sat', 'Sat-Sun', 'Wed']);
  });

  it('round-trips: parseCenterCsv(centerConfigToCsv(c)) is c', () => {
    const slug = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,12}$/);
    const text = fc
      .oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.constantFrom('Park, Jo', 'O"Brien', 'two\nlines', 'a;b', '=SUM(A1)', ' ', '80%', 'x'.repeat(100)),
      )
      .filter((s) => s.trim() === s && s !== '' && s.length <= 100);
    const named = fc.uniqueArray(fc.record({ id: slug, name: text }), { selector: (x) => x.id, maxLength: 4 });
    const config = fc
      .record({ timezone: fc.constantFrom('America/New_York', 'Europe/London', 'UTC', 'Asia/Kolkata'), skills: named, teams: named })
      .chain(({ timezone, skills, teams }) => {
        const skillIds = skills.map((s) => s.id);
        const channel = fc.constantFrom(...channels);
        const shiftOf = fc.integer({ min: 30, max: 960 }).chain((length) =>
          fc.record({
            start_minute: fc.integer({ min: 0, max: 1439 }),
            length_minutes: fc.constant(length),
            weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1 }).map((days) => days.toSorted((a, b) => a - b)),
            breaks: fc.array(
              fc.integer({ min: 1, max: Math.min(120, length) }).chain((minutes) =>
                fc.record({
                  kind: fc.constantFrom('break' as const, 'lunch' as const),
                  offset_minutes: fc.integer({ min: 0, max: length - minutes }),
                  minutes: fc.constant(minutes),
                }),
              ),
              { maxLength: 3 },
            ),
          }),
        );
        const agents =
          skillIds.length > 0 && teams.length > 0
            ? fc.uniqueArray(
                fc.record({
                  id: slug,
                  display_name: text,
                  team_id: fc.constantFrom(...teams.map((t) => t.id)),
                  skills: fc.uniqueArray(fc.record({ skill_id: fc.constantFrom(...skillIds), proficiency: fc.integer({ min: 1, max: 5 }) }), {
                    selector: (s) => s.skill_id,
                    minLength: 1,
                  }),
                  chat_concurrency: fc.integer({ min: 1, max: 8 }),
                  shift: shiftOf,
                }),
                { selector: (a) => a.id, maxLength: 4 },
              )
            : fc.constant<CenterConfig['agents']>([]);
        const queues =
          skillIds.length > 0
            ? fc.uniqueArray(
                fc.record({
                  id: slug,
                  name: text,
                  channel,
                  skill_id: fc.constantFrom(...skillIds),
                  sl_threshold_s: fc.constantFrom(...serviceLevelThresholdsS),
                  sl_target: fc.oneof(fc.constantFrom(0.8, 0.85, 1), fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true })),
                }),
                { selector: (q) => q.id, maxLength: 4 },
              )
            : fc.constant<CenterConfig['queues']>([]);
        const bots = fc.uniqueArray(fc.record({ id: slug, name: text, channels: fc.uniqueArray(channel, { minLength: 1 }) }), {
          selector: (b) => b.id,
          maxLength: 3,
        });
        return fc.tuple(agents, queues, bots).chain(([agents, queues, bots]) =>
          (bots.length > 0 && queues.length > 0
            ? fc.uniqueArray(
                fc.record({
                  id: slug,
                  bot_id: fc.constantFrom(...bots.map((b) => b.id)),
                  label: text,
                  queue_id: fc.constantFrom(...queues.map((q) => q.id)),
                }),
                { selector: (i) => i.id, maxLength: 4 },
              )
            : fc.constant<CenterConfig['intents']>([])
          ).map((intents): CenterConfig => ({ timezone, skills, teams, agents, queues, bots, intents })),
        );
      });

    const sorted = (c: CenterConfig): CenterConfig => ({
      ...c,
      ...Object.fromEntries(centerLists.map((list) => [list, [...c[list]].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))])),
    });
    fc.assert(
      fc.property(config, (c) => {
        expect(validateCenterConfig(c)).toEqual([]);
        const result = parseCenterCsv(centerConfigToCsv(c), c.timezone);
        expect(result).toHaveProperty('config');
        if ('config' in result) expect(sorted(result.config)).toEqual(sorted(c));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
