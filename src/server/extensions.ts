import type { Api, AppContext } from './app.js';
import { comparisonRoutes } from './comparison.js';
import { correctionRoutes } from './corrections.js';
import { reprintRoutes } from './reprints.js';
import { sourceRoutes } from './sources.js';
import { storyRoutes } from './stories.js';

/**
 * Route groups other features mount on the API (stories, reprints) and the UI. One
 * list, so `parallax serve` and the tests build the same application.
 */
export const SERVER_EXTENSIONS: Array<(api: Api, ctx: AppContext) => void> = [storyRoutes, reprintRoutes, comparisonRoutes, correctionRoutes, sourceRoutes];
