// Trunk post-build hook (Trunk.toml): minifies the JS glue wasm-bindgen wrote, in
// release builds only, so that the page stays within its size budget.
// Trunk's own --minify fails on the glue's `export default`; terser reads it.
// Export names and the wasm's import names (object keys) are kept as they are.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

if (process.env.TRUNK_PROFILE === 'release') {
  const file = join(process.env.TRUNK_STAGING_DIR, 'gossip-web.js');
  const source = await readFile(file, 'utf8');
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  await writeFile(file, code);
  console.log(`minify-glue: ${file}: ${source.length} -> ${code.length} bytes`);
}
