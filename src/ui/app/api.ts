/** The UI talks to the JSON API only. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`/api/v1${path}`, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

export interface ArticleSummary {
  id: string;
  version: number;
  title: string | null;
  url: string | null;
  /** the input's own id (a JSONL `id`) */
  externalId: string | null;
  outlet: string | null;
  published: string | null;
  language: string;
  fetchedAt: string;
  sentenceCount: number;
  source: string;
  /** the story it belongs to; null before it is clustered */
  story: string | null;
}

export interface MetaField {
  value: string;
  evidence: { source: string; detail: string; offset?: number };
}

export interface ArticleDetail extends ArticleSummary {
  text: string;
  externalId: string | null;
  contentHash: string;
  sentences: { index: number; start: number; end: number; text: string }[];
  meta: {
    title: MetaField | null;
    published: MetaField | null;
    outlet: MetaField | null;
    syndicator: MetaField | null;
    credits: MetaField[];
    dateline: MetaField | null;
    byline: MetaField | null;
    language: MetaField;
  };
  versions: { version: number; contentHash: string; title: string | null; text: string; fetchedAt: string; published: string | null; source: string }[];
  /** the story it belongs to */
  story: string | null;
}
