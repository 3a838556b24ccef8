import { createError } from '../../errors.js';
import type { Io } from '../context.js';

/** The queue URL from `--queue`, else PARALLAX_QUEUE; undefined when neither is set. (Light: read by --help-time code.) */
export function queueUrl(opt: string | undefined, io: Io): string | undefined {
  const url = opt ?? (io.env['PARALLAX_QUEUE'] || undefined);
  if (url !== undefined && !/^(nats|tls|wss?):\/\//i.test(url)) throw createError('USAGE', `--queue: expected a nats:// URL, found "${url}"`, { subject: '--queue' });
  return url;
}
