import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The rule of issue 13: other packages' private members are read in src/adapters/ only, one
// adapter per package, each checked at boot. Every other file of src/ uses public APIs.

const ROOT = join(__dirname, '..', '..');
const ADAPTERS = 'src/adapters/';

const PRIVATE_MEMBERS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Express 4's app._router / lazyrouter", /_router\b|lazyrouter/],
  ["Express's router stack and layers", /router\.stack|layer\.match/],
  [
    "Express's final handler, loaded from Express's own folder",
    // finalhandler is a dependency of ours now: only resolving it inside Express counts.
    /require\.resolve\([^)]*paths/i,
  ],
  [
    "a deep require or import of a package's dist/ or lib/",
    /(?:require\(\s*|import\(\s*|from\s+)['"`](?:@[\w-][\w.-]*\/)?[\w-][\w.-]*\/(?:dist|lib)\//,
  ],
  [
    'express-openapi-validator internals',
    /express-openapi-validator\/dist|_getOrBuildValidator|buildValidators|buildMiddleware|middlewareCache|ajvOpts|_responseSchema|_openapi|_discriminator/,
  ],
  ['prom-client internals', /hashMap|_defaultLabels|getForPromString|td\.reset|upperBounds/],
  ["Express's Route#stack", /req\.route[^\n]*\.stack\b/],
  ["an underscore member of another package's object", /\._[a-zA-Z]\w*/],
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Hit {
  file: string;
  line: number;
  what: string;
  text: string;
}

function findPrivateMembers(file: string): Hit[] {
  const name = relative(ROOT, file).split('\\').join('/');
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, index) =>
      PRIVATE_MEMBERS.filter(([, pattern]) => pattern.test(text)).map(([what]) => ({
        file: name,
        line: index + 1,
        what,
        text: text.trim(),
      })),
    );
}

describe('private members of other packages', () => {
  const files = sourceFiles(join(ROOT, 'src'));

  it('are read in src/adapters/ only', () => {
    const hits = files
      .map((file) => relative(ROOT, file).split('\\').join('/'))
      .filter((name) => !name.startsWith(ADAPTERS))
      .flatMap((name) => findPrivateMembers(join(ROOT, name)));
    expect(hits.map((hit) => `${hit.file}:${hit.line} ${hit.what}: ${hit.text}`)).toEqual([]);
  });

  it('are recognised by the rule (it fails on the internals the adapters hold)', () => {
    const adapterHits = files
      .filter((file) => relative(ROOT, file).split('\\').join('/').startsWith(ADAPTERS))
      .flatMap(findPrivateMembers)
      .map((hit) => hit.what);
    expect(new Set(adapterHits)).toEqual(
      new Set([
        'express-openapi-validator internals',
        'prom-client internals',
        "Express's Route#stack",
        "an underscore member of another package's object",
      ]),
    );
  });
});
