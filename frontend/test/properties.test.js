// Rules that hold for every input, checked with fast-check over generated manifests, paths and ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { imageVision, pickVariant, objectPosition, sitePath, STANDARD_RATIOS } from '../index.js';
import { deepFreeze, entry, manifestOf } from './helpers.js';

const RUNS = { numRuns: 300 };

// a file or folder name: any text without '/', including markup, '%', '#', '?', spaces and non-Latin scripts
const segment = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((s) => !s.includes('/') && !s.includes('\\') && !s.includes('\0') && s.trim() === s && s !== '.' && s !== '..');
const sitePathArb = fc.array(segment, { minLength: 1, maxLength: 3 })
  .map((parts) => '/images/' + parts.join('/') + '.jpg');
const ratioId = fc.tuple(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 32 })).map(([w, h]) => w + 'x' + h);
// a variant slot: made, never made ("" as the site's older tool writes it), null, or absent
const variantValue = (path, id) => fc.constantFrom(path.replace(/\.jpg$/, '.' + id + '.jpg'), '', null, undefined);
const variantsArb = (path) => fc.uniqueArray(fc.oneof(fc.constantFrom(...STANDARD_RATIOS), ratioId), { maxLength: 5 })
  .chain((ids) => fc.tuple(...ids.map((id) => variantValue(path, id))).map((values) => {
    const out = {};
    ids.forEach((id, i) => { if (values[i] !== undefined) out[id] = values[i]; });
    return out;
  }));
const imageArb = sitePathArb.chain((path) => variantsArb(path).map((variants) => ({ path, variants })));
const containerRatio = fc.oneof(
  fc.double({ min: 0.05, max: 20, noNaN: true }),
  fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 4000 })).map(([w, h]) => w / h));

const value = (id) => {
  const [w, h] = id.split('x').map(Number);
  return w / h;
};
const distance = (a, b) => Math.abs(Math.log(a / b));

function load(path, variants, options) {
  return imageVision(deepFreeze(manifestOf({ [path]: entry(path, { variants }) })), null, options).getImage(path);
}

test('pickVariant always returns a variant the image has, or its source when it lacks that ratio', () => {
  fc.assert(fc.property(imageArb, containerRatio, ({ path, variants }, r) => {
    const img = load(path, variants);
    const pick = pickVariant(img, r);
    const made = Object.values(img.variants);
    if (pick.source) {
      assert.equal(pick.url, img.src);
      assert.ok(img.missing_variants.includes(pick.ratio));
    } else {
      assert.ok(made.includes(pick.url));
      assert.equal(img.variants[pick.ratio], pick.url);
      assert.equal(variants[pick.ratio], path.replace(/\.jpg$/, '.' + pick.ratio + '.jpg'));
    }
  }), RUNS);
});

test('pickVariant chooses the ratio nearest the container among the standard ones and those the entry names', () => {
  fc.assert(fc.property(imageArb, containerRatio, ({ path, variants }, r) => {
    const img = load(path, variants);
    const pick = pickVariant(img, r);
    const candidates = new Set([...STANDARD_RATIOS, ...Object.keys(variants)]);
    for (const c of candidates) {
      assert.ok(distance(value(pick.ratio), r) <= distance(value(c), r) + 1e-12,
        `${pick.ratio} picked for ${r}, but ${c} is nearer`);
    }
  }), RUNS);
});

test('the variant_* fields are the variant when it was made, else the source, and missing_variants says which', () => {
  fc.assert(fc.property(imageArb, ({ path, variants }) => {
    const img = load(path, variants);
    for (const id of STANDARD_RATIOS) {
      const made = typeof variants[id] === 'string' && variants[id] !== '';
      assert.equal(img['variant_' + id], made ? img.variants[id] : img.src);
      assert.equal(img.missing_variants.includes(id), !made);
    }
  }), RUNS);
});

test('every URL is the site path, percent-encoded one segment at a time: nothing in a name can escape its segment', () => {
  fc.assert(fc.property(sitePathArb, fc.constantFrom('/', '../', ''), (path, base) => {
    const img = load(path, {}, { base });
    assert.ok(img, path);
    assert.ok(img.src.startsWith(base));
    const rest = img.src.slice(base.length);
    assert.match(rest, /^[A-Za-z0-9\-._~%/]+$/, 'only unreserved characters and escapes');
    assert.equal(rest.split('/').map(decodeURIComponent).join('/'), path.slice(1));
  }), RUNS);
});

test('a path is found in each of the guide\'s spellings', () => {
  fc.assert(fc.property(sitePathArb, (path) => {
    const vision = imageVision(manifestOf({ [path]: entry(path) }));
    const img = vision.getImage(path);
    assert.ok(img);
    for (const spelling of ['static' + path, '/static' + path, path.slice(1), './static' + path, './' + path.slice(1)]) {
      assert.equal(vision.getImage(spelling), img, spelling);
    }
    assert.equal(sitePath(sitePath(path)), sitePath(path), 'normalising twice changes nothing');
  }), RUNS);
});

test('any JSON as an entry gives an image or a named problem, never an exception, and leaves the input as it was', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const entryLike = fc.record({
    score: json, subject: json, category: json, focal_point: json, variants: json, crop_windows: json,
    selection: json, fallback: json, rejected_by: json,
  }, { requiredKeys: [] });
  fc.assert(fc.property(sitePathArb, fc.oneof(json, entryLike), fc.oneof(json, fc.array(json)), (path, raw, provenance) => {
    const manifest = manifestOf({ [path]: raw });
    const before = JSON.stringify(manifest) + JSON.stringify(provenance);
    let vision;
    try {
      vision = imageVision(deepFreeze(manifest), deepFreeze(provenance));
    } catch (e) {
      // only a provenance file of the wrong shape is refused, and with a message
      assert.ok(e instanceof TypeError && /provenance/.test(e.message), e.message);
      return;
    }
    assert.equal(JSON.stringify(manifest) + JSON.stringify(provenance), before);
    const img = vision.getImage(path);
    if (img === undefined) {
      assert.ok(vision.problems.some((p) => p.path === path));
      return;
    }
    assert.ok(Object.isFrozen(img));
    assert.ok(img.subject === null || typeof img.subject === 'string');
    assert.ok(img.score === null || (img.score >= 0 && img.score <= 10));
    assert.ok(img.focal_point === null || (img.focal_point.x >= 0 && img.focal_point.x <= 1));
    assert.ok([null, 'hero', 'gallery', 'none'].includes(img.role));
    assert.equal(typeof img.fallback, 'boolean');
    assert.match(objectPosition(img), /^\d+(\.\d+)?% \d+(\.\d+)?%$/);
    const pick = pickVariant(img, 16 / 9);
    assert.ok(pick.url === img.src || Object.values(img.variants).includes(pick.url));
  }), RUNS);
});

test('text from the model reaches the caller exactly as written', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (subject) => {
    const path = '/images/missions/x/01.jpg';
    assert.equal(imageVision(manifestOf({ [path]: entry(path, { subject }) })).getImage(path).subject, subject);
  }), RUNS);
});

test('objectPosition is always two percentages within 0..100, whatever the focal point and window', () => {
  const fraction = fc.double({ min: 0, max: 1, noNaN: true });
  const windowArb = fc.record({ x: fraction, y: fraction, w: fraction, h: fraction });
  fc.assert(fc.property(fc.record({ x: fraction, y: fraction }), windowArb, containerRatio, (focal, w, r) => {
    const path = '/images/a/b/01.jpg';
    const img = imageVision(manifestOf({ [path]: entry(path, { focal_point: focal, crop_windows: { '1x1': w, '4x3': w, '16x9': w } }) }))
      .getImage(path);
    const css = objectPosition(img, pickVariant(img, r));
    const m = /^(\d+(?:\.\d+)?)% (\d+(?:\.\d+)?)%$/.exec(css);
    assert.ok(m, css);
    assert.ok(Number(m[1]) <= 100 && Number(m[2]) <= 100, css);
  }), RUNS);
});
