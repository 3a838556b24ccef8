// Copies the UI's static files (HTML, CSS) next to the compiled UI scripts in dist/ui.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist/ui/static'), { recursive: true });
cpSync(join(root, 'src/ui/static'), join(root, 'dist/ui/static'), { recursive: true });
