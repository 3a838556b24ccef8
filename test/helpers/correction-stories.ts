/** Invented reports for the corrections tests: two events, and later reports of each. */
export const art = (id: string, title: string, text: string, day: number): string => JSON.stringify({ id, title, text, published: `2024-03-${String(day).padStart(2, '0')}` });
/** two events: a mill fire (one article about a bakery next door) and a harbour flood */
export const FIRST = [
  art(
    'a1',
    'Fire destroys Marlow Mill in Dunmore',
    'A fire destroyed the historic Marlow Mill in Dunmore on Tuesday night. Firefighters from Dunmore and Ashby fought the blaze for six hours. Fire chief Elena Rusk said nobody was hurt.',
    5,
  ),
  art(
    'a2',
    'Dunmore mill fire: investigators look for cause',
    'Investigators searched the ruins of the Marlow Mill in Dunmore on Wednesday. Fire chief Elena Rusk said the blaze started in the east wing of the mill.',
    6,
  ),
  art(
    'a3',
    'Marlow Mill owners vow to rebuild after Dunmore fire',
    'The owners of the Marlow Mill in Dunmore said they would rebuild. The fire on Tuesday destroyed the mill, fire chief Elena Rusk said.',
    6,
  ),
  art(
    'a4',
    'Harwick bakery next to Marlow Mill loses stock in Dunmore fire',
    'The Harwick family bakery beside the Marlow Mill in Dunmore lost its flour stock and ovens. Owner Tobias Harwick said the insurer Greyfield Mutual would pay for the ovens.',
    7,
  ),
  art('b1', 'Flood hits Kestrel Bay harbour', 'Floodwater swept through Kestrel Bay harbour on Monday after the Orrin river burst its banks. Mayor Priya Vantongeren said 40 boats sank.', 5),
  art('b2', 'Kestrel Bay counts flood damage', 'Kestrel Bay counted the damage on Tuesday after the Orrin river flood. Mayor Priya Vantongeren said the harbour would reopen next month.', 6),
  art('b3', 'Orrin river flood: Kestrel Bay harbour closed', 'The Kestrel Bay harbour stays closed after the flood of the Orrin river, Mayor Priya Vantongeren said on Wednesday.', 7),
];
export const LATER = [
  art(
    'a5',
    'Greyfield Mutual to pay Harwick bakery after Dunmore fire',
    'Insurer Greyfield Mutual will pay Tobias Harwick for the ovens and flour of the Harwick family bakery, lost in the Marlow Mill fire in Dunmore.',
    8,
  ),
  art('b4', 'Kestrel Bay harbour reopens after Orrin flood', 'Mayor Priya Vantongeren reopened the Kestrel Bay harbour on Friday, weeks after the Orrin river flood sank 40 boats.', 9),
];
