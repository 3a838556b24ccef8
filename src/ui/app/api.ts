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

// The API's shapes come from its contract, as types only: no schema code reaches the browser.
export type { ArticleDetail, ArticleSummary, MetaField } from '../../contract/articles.js';
