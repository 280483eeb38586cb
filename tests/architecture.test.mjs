// ARCHITECTURE.md, the code map, stays true: every path it names exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The paths a text names in backticks, from the repository's root: a relative
 * path with a slash that ends in a folder or in one of the repository's file
 * extensions; build outputs and paths outside the repository aside. */
export function namedPaths(text) {
  const paths = new Set();
  for (const [, token] of text.matchAll(/`([^`\s]+)`/g)) {
    const path = token.replace(/[.,:;]+$/, '');
    const looksLikeFile = /\.(rs|md|mjs|js|sh|toml|html|jsonl|json|css)$/.test(path);
    const looksLikeDir = /^[\w.-]+\/([\w.-]+\/)*$/.test(path);
    const relative = path.includes('/') && !path.startsWith('/') && !path.includes('://');
    // Build outputs (dist/, target/) exist only after a build.
    const built = /^(dist|target)\//.test(path);
    if ((looksLikeFile || looksLikeDir) && relative && !built && !path.startsWith('../')) {
      paths.add(path);
    }
  }
  return [...paths];
}

test('the path finder reads files and folders in backticks, and nothing else', () => {
  assert.deepEqual(
    namedPaths('see `core/src/contract.rs`, `web/` and `x.rs`, not `a::b` or `http://h/x.js`'),
    ['core/src/contract.rs', 'web/'],
  );
});

test('every path ARCHITECTURE.md names exists', () => {
  const named = namedPaths(readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8'));
  assert.ok(named.length > 40, `only ${named.length} paths found`);
  const missing = named.filter((path) => !existsSync(join(root, path)));
  assert.deepEqual(missing, [], 'ARCHITECTURE.md names paths that do not exist');
});
