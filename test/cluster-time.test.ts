import { describe, expect, it } from 'vitest';
import { clusterStream, type ClusterParams } from '../src/cluster/online.js';
import type { ClusterInput } from '../src/cluster/features.js';

/**
 * A stream of one kind of event (shootings in one city): the reports of one shooting come in
 * its first days; months later its trial is reported under the same names. Another shooting in
 * the same city weeks later is another story.
 */
const day = (d: number): string => new Date(Date.UTC(2015, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
const background = (i: number, d: number): ClusterInput => ({
  id: `bg${i}`,
  title: `Council vote ${i}`,
  text: `The Oakvale council voted on budget item ${100 + i} about ${['parks', 'roads', 'libraries', 'schools', 'water', 'transit'][i % 6]} and ${['tax', 'bonds', 'fees', 'grants'][i % 4]} on ${['Monday', 'Tuesday'][i % 2]}. Members of the ${['Harbor', 'Hill', 'Creek', 'Mill', 'Lake'][i % 5]} district committee spoke.`,
  published: day(d),
});
const shooting = (id: string, d: number, names: [string, string], street: string, extra: string): ClusterInput => ({
  id,
  title: `Man shot on ${street} in Riverton`,
  text: `A man was shot and killed on ${street} in Riverton late Saturday, police said. Police identified the victim as ${names[0]}. ${names[1]} was arrested in the shooting, police said. ${extra}`,
  published: day(d),
});

function stream(): ClusterInput[] {
  const out: ClusterInput[] = [];
  for (let i = 0; i < 30; i++) out.push(background(i, i * 5));
  out.push(shooting('a1', 10, ['Darnell Whitcombe', 'Terrence Okafor'], 'Birch Lane', 'Neighbours heard several shots.'));
  out.push(shooting('a2', 11, ['Darnell Whitcombe', 'Terrence Okafor'], 'Birch Lane', 'Relatives gathered at the scene.'));
  // another shooting in the same city, five weeks later: another story
  out.push({
    id: 'b1',
    title: 'Teen wounded in Riverton shooting',
    text: 'A 17-year-old was shot and wounded outside a store on Cedar Court in Riverton on Friday night, police said. Luis Marchetti, 19, was arrested.',
    published: day(45),
  });
  // the trial of the first, four months later, under the same two names
  out.push({
    id: 'a3',
    title: 'Trial opens in Riverton killing',
    text: 'The trial of Terrence Okafor opened Monday in Riverton. Prosecutors say Okafor shot Darnell Whitcombe on Birch Lane last year after an argument. The jury heard from police officers.',
    published: day(130),
  });
  return out;
}

const storyOf = (params: Partial<ClusterParams> = {}): Map<string, string> => new Map(clusterStream(stream(), params).map((a) => [a.id, a.story]));

describe('stories on a stream of one kind of event', () => {
  it('keeps two shootings in one city apart, and puts a report months later under the same names with its story', () => {
    const s = storyOf();
    expect(s.get('a2')).toBe(s.get('a1'));
    expect(s.get('b1')).not.toBe(s.get('a1'));
    expect(s.get('a3')).toBe(s.get('a1'));
  });
  it('does so through the shared names: without name links the report months later starts a story', () => {
    const s = storyOf({ nameLinks: 0 });
    expect(s.get('a2')).toBe(s.get('a1'));
    expect(s.get('a3')).not.toBe(s.get('a1'));
  });
  it('does not link on one shared name: a later report naming only the city and one person is not enough', () => {
    const input = stream();
    input[input.length - 1] = { ...input[input.length - 1]!, text: 'A memorial was held Monday in Riverton for Darnell Whitcombe, a year after his death. Friends spoke at the church.' };
    const s = new Map(clusterStream(input).map((a) => [a.id, a.story]));
    expect(s.get('a3')).not.toBe(s.get('a1'));
  });
});
