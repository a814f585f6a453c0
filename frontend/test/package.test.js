// The package as a site installs it: what package.json promises, and what index.js must never contain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as direct from '../index.js';

const read = (p) => readFileSync(new URL('../' + p, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json'));
const source = read('index.js');

test('the package name resolves through "exports" to index.js, with its declarations beside it', async () => {
  const viaName = await import('imagevision-frontend');
  assert.equal(viaName.imageVision, direct.imageVision);
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.exports['.'], { types: './index.d.ts', default: './index.js' });
  assert.ok(pkg.files.includes('index.js') && pkg.files.includes('index.d.ts'));
  const declared = [...read('index.d.ts').matchAll(/^export (?:function|const) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, Object.keys(direct).sort(), 'every export is declared, and nothing else');
});

test('no runtime dependencies and no build step: index.js imports nothing and is plain JavaScript', () => {
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.peerDependencies, undefined);
  assert.doesNotMatch(source, /^\s*import\s/m);
  assert.doesNotMatch(source, /\bimport\s*\(/);
  assert.doesNotMatch(source, /\brequire\s*\(/);
});

test('index.js can be inlined in a page\'s script element as it is (the preview page does)', () => {
  for (const token of ['<script', '</script', '<!--']) assert.ok(!source.toLowerCase().includes(token), token);
});

test('index.js never turns text into markup or code', () => {
  for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'DOMParser', 'createContextualFragment',
    'eval(', 'new Function', 'setTimeout(', 'setInterval(']) {
    assert.ok(!source.includes(sink), sink);
  }
});
