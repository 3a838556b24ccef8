import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createError } from '../errors.js';
import { type OutletEntry, parseOutletFile } from '../ingest/outlets.js';
import type { Io } from './context.js';

/**
 * The user's outlet names: the JSON file named by PARALLAX_OUTLETS
 * (`{"outlets": [{"name": "KCTV 5", "domains": ["kctv5.com"]}]}`), on top of the built-in
 * table; none when unset. A missing or malformed file is a usage error naming it.
 */
export function userOutlets(io: Io): OutletEntry[] {
  const path = io.env['PARALLAX_OUTLETS'];
  if (!path) return [];
  const full = resolve(io.cwd, path);
  let json: string;
  try {
    json = readFileSync(full, 'utf8');
  } catch (e) {
    throw createError('BAD_CONFIG', `config: cannot read the outlet file ${path} named by PARALLAX_OUTLETS (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { subject: path, cause: e });
  }
  return parseOutletFile(json, path);
}
