import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageVision, pickVariant, objectPosition, sitePath, STANDARD_RATIOS } from '../index.js';
import { deepFreeze, entry, fixture, manifestOf, sampleProvenance } from './helpers.js';

const CURIOSITY = '/images/missions/curiosity/01.jpg';

test('getImage on a demo run\'s manifest: variants, focal point, alt text, selection, licence and credit', () => {
  const { getImage } = imageVision(deepFreeze(fixture('demo-manifest.json')), deepFreeze(sampleProvenance()));
  const img = getImage('/images/missions/hubble/03.jpg');
  assert.equal(img.path, '/images/missions/hubble/03.jpg');
  assert.equal(img.src, '/images/missions/hubble/03.jpg');
  assert.equal(img.variant_16x9, '/images/missions/hubble/03.16x9.jpg');
  assert.equal(img.variant_4x3, '/images/missions/hubble/03.4x3.jpg');
  assert.equal(img.variant_1x1, '/images/missions/hubble/03.1x1.jpg');
  assert.deepEqual(img.missing_variants, []);
  assert.equal(typeof img.subject, 'string');
  assert.ok(img.subject.length > 0);
  assert.ok(img.focal_point.x >= 0 && img.focal_point.x <= 1);
  assert.equal(img.role, 'hero');
  assert.equal(img.rank, 0);
  assert.equal(img.group, 'missions/hubble');
  assert.equal(img.fallback, false);
  assert.equal(img.rejected_by, null);
  assert.ok(Number.isInteger(img.score));
  assert.equal(img.category, fixture('demo-manifest.json').entries['/images/missions/hubble/03.jpg'].category);
  assert.equal(img.license, 'PD-NASA');
  assert.equal(img.credit, 'NASA/GSFC (GSFC_20171208_Archive_e000780)');
  assert.equal(img.license_url, 'https://www.nasa.gov/nasa-brand-center/images-and-media/');
});

test('the guide\'s path forms all find the same image; an unknown path is undefined', () => {
  const { getImage } = imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }));
  const img = getImage(CURIOSITY);
  assert.ok(img);
  for (const p of ['static/images/missions/curiosity/01.jpg', '/static/images/missions/curiosity/01.jpg',
    'images/missions/curiosity/01.jpg', './static/images/missions/curiosity/01.jpg', '  /images/missions/curiosity/01.jpg ']) {
    assert.equal(getImage(p), img, p);
  }
  for (const p of ['/images/missions/curiosity/02.jpg', '/images/missions/curiosity/01.16x9.jpg', '', '/',
    '/images/missions/curiosity/../curiosity/01.jpg', 'https://example.com/images/missions/curiosity/01.jpg',
    '//example.com/images/missions/curiosity/01.jpg', '\\images\\missions\\curiosity\\01.jpg']) {
    assert.equal(getImage(p), undefined, p);
  }
  assert.throws(() => getImage(undefined), /getImage: the path must be a string/);
  assert.throws(() => getImage(42), TypeError);
});

test('a configured static folder is stripped instead of "static"', () => {
  const { getImage } = imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }), null, { staticDir: 'public/' });
  assert.ok(getImage('public/images/missions/curiosity/01.jpg'));
  assert.equal(getImage('static/images/missions/curiosity/01.jpg'), undefined);
  assert.throws(() => imageVision(manifestOf({}), null, { staticDir: '../x' }), /staticDir/);
  assert.throws(() => imageVision(manifestOf({}), null, { staticDir: '' }), /staticDir/);
});

test('the site\'s older manifest: only 1x1 variants, sometimes "", no selection; the source stands in and says so', () => {
  const older = deepFreeze(fixture('orrery-manifest.json'));
  const { getImage, groups, problems } = imageVision(older, deepFreeze(fixture('orrery-provenance.json')));
  assert.deepEqual(problems, []);
  const made = getImage('/images/earth-objects/beidou/01.jpg');
  assert.equal(made.variant_1x1, '/images/earth-objects/beidou/01.1x1.jpg');
  assert.equal(made.variant_16x9, made.src);
  assert.equal(made.variant_4x3, made.src);
  assert.deepEqual(made.missing_variants, ['4x3', '16x9']);
  assert.equal(made.role, null);
  assert.equal(made.group, 'earth-objects/beidou');
  assert.equal(made.license, 'CC-BY-SA-4.0');
  assert.equal(made.credit, 'CNSA', 'no "credit" field: the author is the credit');

  const blank = Object.entries(older.entries).find(([, e]) => e.variants['1x1'] === '');
  assert.ok(blank, 'the fixture has an entry whose 1x1 variant is ""');
  const img = getImage(blank[0]);
  assert.deepEqual(img.missing_variants, ['1x1', '4x3', '16x9']);
  assert.equal(img.variant_1x1, img.src);
  assert.deepEqual(pickVariant(img, 1), { url: img.src, ratio: '1x1', source: true });

  // no selection in that format: groups hold the images but name no hero
  const beidou = groups().find((g) => g.key === 'earth-objects/beidou');
  assert.equal(beidou.hero, null);
  assert.deepEqual(beidou.gallery, []);
  assert.deepEqual(beidou.images.map((i) => i.path), ['/images/earth-objects/beidou/01.jpg',
    '/images/earth-objects/beidou/02.jpg', '/images/earth-objects/beidou/03.jpg']);
});

test('provenance as an object with entries, a bare array or a map keyed by path gives the same join', () => {
  const rows = [
    { path: CURIOSITY, license_short: 'PD-NASA', license_url: 'https://nasa.gov', credit: 'NASA/JPL-Caltech', author: 'x' },
    { path: '/images/missions/curiosity/02.jpg', license_short: 'CC-BY-4.0', author: 'Jane Doe' },
  ];
  const manifest = manifestOf({ [CURIOSITY]: entry(CURIOSITY), '/images/missions/curiosity/02.jpg': entry('/images/missions/curiosity/02.jpg') });
  const keyed = { schema_version: 1, generated_at: '2026-01-01T00:00:00Z' };
  for (const r of rows) {
    const { path, ...rest } = r;
    keyed[path] = rest; // rows keyed by path need not repeat it
  }
  const shapes = {
    wrapped: { schema_version: 1, entries: rows },
    array: rows,
    keyed,
    wrappedKeyed: { entries: Object.fromEntries(rows.map((r) => [r.path, r])) },
    staticPaths: rows.map((r) => ({ ...r, path: 'static' + r.path })),
  };
  for (const [name, provenance] of Object.entries(shapes)) {
    const { getImage, problems } = imageVision(manifest, deepFreeze(provenance));
    assert.deepEqual(problems, [], name);
    assert.equal(getImage(CURIOSITY).license, 'PD-NASA', name);
    assert.equal(getImage(CURIOSITY).credit, 'NASA/JPL-Caltech', name);
    assert.equal(getImage(CURIOSITY).license_url, 'https://nasa.gov', name);
    assert.equal(getImage('/images/missions/curiosity/02.jpg').credit, 'Jane Doe', name);
  }
  // no provenance at all, or no row for the image: null, never a guess
  for (const provenance of [undefined, null, [], { entries: [] }]) {
    const img = imageVision(manifest, provenance).getImage(CURIOSITY);
    assert.equal(img.license, null);
    assert.equal(img.credit, null);
  }
});

test('bad provenance rows are skipped by name; the first of repeated rows is used; the file is never modified', () => {
  const provenance = deepFreeze({
    entries: [
      { path: CURIOSITY, license_short: 'PD-NASA', credit: 'first' },
      { path: CURIOSITY, license_short: 'CC0-1.0', credit: 'second' },
      'not a row',
      { path: '../../etc/passwd', license_short: 'x' },
      { license_short: 'no path' },
      { path: '/images/a/b/01.jpg', license_short: 42, credit: ['x'] },
    ],
  });
  const { getImage, problems } = imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }), provenance);
  assert.equal(getImage(CURIOSITY).credit, 'first');
  const text = problems.map((p) => (p.path ?? '') + ': ' + p.message);
  assert.deepEqual(text, [
    CURIOSITY + ': repeated provenance row; the first one is used',
    'entry #2: provenance entry #2 is "not a row", not an object; the row is skipped',
    '../../etc/passwd: provenance entry #3 has no usable "path" ("../../etc/passwd"); the row is skipped',
    'entry #4: provenance entry #4 has no usable "path" (missing); the row is skipped',
    '/images/a/b/01.jpg: provenance "license_short" is 42, not text; it is ignored',
    '/images/a/b/01.jpg: provenance "credit" is an array, not text; it is ignored',
  ]);
});

test('inputs that are not a manifest or provenance are refused with a message saying what is expected', () => {
  assert.throws(() => imageVision('{"version":1}'), /JSON\.parse it first/);
  assert.throws(() => imageVision(null), /must be the parsed JSON object/);
  assert.throws(() => imageVision([]), /must be the parsed JSON object/);
  assert.throws(() => imageVision({ entries: {} }), /"version" must be 1, got missing/);
  assert.throws(() => imageVision({ version: 2, entries: {} }), /"version" must be 1, got 2/);
  assert.throws(() => imageVision({ version: 1, entries: [] }), /"entries" must be an object keyed by image path, got an array/);
  assert.throws(() => imageVision({ version: 1 }), /"entries" must be an object/);
  assert.throws(() => imageVision(manifestOf({}), '[]'), /provenance must be the parsed JSON.*JSON\.parse it first/);
  assert.throws(() => imageVision(manifestOf({}), { entries: 'x' }), /provenance "entries" must be an array/);
  assert.throws(() => imageVision(manifestOf({}), null, { base: 3 }), /options\.base must be a string/);
  assert.throws(() => imageVision(manifestOf({}), null, 'strict'), /options must be an object/);
});

test('one bad entry or field is skipped by name, never the whole manifest; strict mode throws instead', () => {
  const good = entry(CURIOSITY);
  const manifest = manifestOf({
    [CURIOSITY]: good,
    '/images/a/b/01.jpg': 'oops',
    '/images/a/b/../c/01.jpg': entry('/images/a/c/01.jpg'),
    'static/images/missions/curiosity/01.jpg': entry(CURIOSITY, { subject: 'duplicate' }),
    '/images/a/b/02.jpg': entry('/images/a/b/02.jpg', {
      score: 'high', subject: 7, focal_point: { x: 2, y: 0.5 }, fallback: 'yes', selection: { role: 'boss' },
      variants: { '16x9': 'javascript:alert(1)', '4x3': '/images/../../etc/passwd', 'wide': '/x.jpg', '1x1': 5 },
      crop_windows: { '16x9': { x: 0, y: 0, w: 'all', h: 1 } },
    }),
  });
  const { getImage, problems } = imageVision(manifest);
  assert.equal(getImage(CURIOSITY).subject, good.subject, 'the first of two keys for one image is used');
  assert.equal(getImage('/images/a/b/01.jpg'), undefined);
  const bad = getImage('/images/a/b/02.jpg');
  assert.equal(bad.score, null);
  assert.equal(bad.subject, null);
  assert.equal(bad.focal_point, null);
  assert.equal(bad.fallback, false);
  assert.equal(bad.role, null);
  assert.equal(bad.group, 'a/b');
  assert.deepEqual(bad.variants, {});
  assert.deepEqual(bad.missing_variants, ['1x1', '4x3', '16x9']);
  assert.deepEqual(bad.crop_windows, {});
  assert.equal(bad.variant_16x9, '/images/a/b/02.jpg');
  const byPath = problems.map((p) => p.path + ': ' + p.message);
  assert.deepEqual(byPath.filter((t) => !t.startsWith('/images/a/b/02.jpg')), [
    '/images/a/b/01.jpg: the entry is "oops", not an object; it is skipped',
    '/images/a/b/../c/01.jpg: not a path inside the site; the entry is skipped',
    'static/images/missions/curiosity/01.jpg: the same image as entry "' + CURIOSITY + '"; the first one is used',
  ]);
  assert.equal(byPath.filter((t) => t.startsWith('/images/a/b/02.jpg')).length, 10, byPath.join('\n'));
  assert.ok(byPath.includes('/images/a/b/02.jpg: variant "16x9" is "javascript:alert(1)", not a path inside the site; '
    + 'the source image is served instead'));
  assert.throws(() => imageVision(manifest, null, { strict: true }), (e) => e.message.startsWith('imageVision: 13 problem(s)')
    && e.message.includes('/images/a/b/01.jpg: the entry is "oops"'));
});

test('pickVariant: 16:9 hero, 4:3 card, 1:1 mobile, by the nearest ratio on a log scale', () => {
  const { getImage } = imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }));
  const img = getImage(CURIOSITY);
  const pick = (r) => pickVariant(img, r).url;
  assert.equal(pick(1920 / 1080), img.variant_16x9);
  assert.equal(pick(3), img.variant_16x9);
  assert.equal(pick(320 / 240), img.variant_4x3);
  assert.equal(pick(1.5), img.variant_4x3, 'below sqrt(4/3 * 16/9) = 1.5396');
  assert.equal(pick(1.55), img.variant_16x9);
  assert.equal(pick(1), img.variant_1x1);
  assert.equal(pick(0.3), img.variant_1x1, 'a tall container still gets the narrowest variant');
  assert.equal(pick(Math.sqrt(4 / 3)), img.variant_1x1, 'a tie goes to the narrower ratio');
  assert.equal(pick('16:9'), img.variant_16x9);
  assert.equal(pick('4x3'), img.variant_4x3);
  assert.deepEqual(pickVariant(img, 16 / 9), { url: img.variant_16x9, ratio: '16x9', source: false });
  for (const bad of [0, -1, NaN, Infinity, '16:0', 'wide', null, undefined]) {
    assert.throws(() => pickVariant(img, bad), RangeError, String(bad));
  }
  assert.throws(() => pickVariant(undefined, 1), /getImage returns undefined for a path the manifest does not have/);
});

test('a missing variant is served by the source image, never by a variant of another ratio', () => {
  const e = entry(CURIOSITY, { variants: { '1x1': '/images/missions/curiosity/01.1x1.jpg', '16x9': '' } });
  const img = imageVision(manifestOf({ [CURIOSITY]: e })).getImage(CURIOSITY);
  assert.deepEqual(img.missing_variants, ['4x3', '16x9']);
  assert.deepEqual(pickVariant(img, 16 / 9), { url: img.src, ratio: '16x9', source: true });
  assert.deepEqual(pickVariant(img, 4 / 3), { url: img.src, ratio: '4x3', source: true });
  assert.deepEqual(pickVariant(img, 1), { url: '/images/missions/curiosity/01.1x1.jpg', ratio: '1x1', source: false });
});

test('a site with another ratio configured gets it picked for containers near it', () => {
  const e = entry(CURIOSITY);
  const img = imageVision(manifestOf({ [CURIOSITY]: { ...e, variants: { ...e.variants, '21x9': '/images/missions/curiosity/01.21x9.jpg' } } }))
    .getImage(CURIOSITY);
  assert.equal(pickVariant(img, 2.4).url, '/images/missions/curiosity/01.21x9.jpg');
  assert.equal(pickVariant(img, 16 / 9).ratio, '16x9');
});

test('objectPosition: the focal point as CSS, inside the picked variant\'s crop window, centre when unknown', () => {
  const { getImage } = imageVision(manifestOf({
    [CURIOSITY]: entry(CURIOSITY),
    '/images/x/y/01.jpg': entry('/images/x/y/01.jpg', { focal_point: null }),
  }));
  const img = getImage(CURIOSITY);
  assert.equal(objectPosition(img), '40% 60%');
  // 16x9 window {x 0, y .2, w 1, h .75}: y = (.6 - .2) / .75
  assert.equal(objectPosition(img, pickVariant(img, 16 / 9)), '40% 53.33%');
  // 1x1 window {x .1, w .75}: x = (.4 - .1) / .75
  assert.equal(objectPosition(img, pickVariant(img, 1)), '40% 60%');
  assert.equal(objectPosition(getImage('/images/x/y/01.jpg')), '50% 50%');
});

test('output URLs are percent-encoded per segment and carry the base', () => {
  const odd = '/images/missions/crew-4/"><svg onload=alert(4)>#?.jpg';
  const spaced = '/images/fleet galleries/ß 100%/01.jpg';
  const { getImage } = imageVision(manifestOf({
    [odd]: entry(odd, { variants: { '1x1': '/images/missions/crew-4/"><svg onload=alert(4)>#?.1x1.jpg' } }),
    [spaced]: entry(spaced),
  }), null, { base: '../' });
  const img = getImage(odd);
  assert.equal(img.src, '../images/missions/crew-4/%22%3E%3Csvg%20onload%3Dalert%284%29%3E%23%3F.jpg');
  assert.equal(img.variant_1x1, '../images/missions/crew-4/%22%3E%3Csvg%20onload%3Dalert%284%29%3E%23%3F.1x1.jpg');
  assert.equal(getImage(spaced).src, '../images/fleet%20galleries/%C3%9F%20100%25/01.jpg');
  assert.equal(imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }), null, { base: 'https://cdn.example.com/site' })
    .getImage(CURIOSITY).variant_4x3, 'https://cdn.example.com/site/images/missions/curiosity/01.4x3.jpg');
  assert.equal(imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }), null, { base: '' })
    .getImage(CURIOSITY).src, 'images/missions/curiosity/01.jpg');
});

test('model and provenance text is returned exactly as written: never parsed, escaped or turned into markup', () => {
  const hostile = '</script><script>alert(2)</script><img src=x onerror=alert(1)> &amp; \u2028';
  const { getImage } = imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY, { subject: hostile, category: hostile }) }),
    [{ path: CURIOSITY, license_short: hostile, credit: hostile }]);
  const img = getImage(CURIOSITY);
  assert.equal(img.subject, hostile);
  assert.equal(img.category, hostile);
  assert.equal(img.license, hostile);
  assert.equal(img.credit, hostile);
});

test('what getImage returns is frozen and shared: a component cannot change what another one sees', () => {
  const vision = imageVision(manifestOf({ [CURIOSITY]: entry(CURIOSITY) }));
  const img = vision.getImage(CURIOSITY);
  assert.equal(vision.getImage('static' + CURIOSITY), img);
  assert.throws(() => { img.subject = 'x'; }, TypeError);
  assert.throws(() => { img.variants['1x1'] = 'x'; }, TypeError);
  assert.throws(() => { img.focal_point.x = 0; }, TypeError);
  assert.throws(() => { vision.problems.push('x'); }, TypeError);
  assert.throws(() => { vision.groups()[0].gallery.push(img); }, TypeError);
});

test('groups: the hero, then the gallery by rank, as the manifest\'s selection made them', () => {
  const { groups, getGroup } = imageVision(fixture('demo-manifest.json'), sampleProvenance());
  const crs = getGroup('missions/crs-21');
  assert.equal(crs.hero.path, '/images/missions/crs-21/05.jpg');
  assert.deepEqual(crs.gallery.map((i) => i.rank), [1, 2, 3]);
  assert.deepEqual(crs.gallery.map((i) => i.path), ['/images/missions/crs-21/02.jpg', '/images/missions/crs-21/03.jpg',
    '/images/missions/crs-21/04.jpg']);
  assert.equal(crs.images.length, 6);
  const keys = groups().map((g) => g.key);
  assert.deepEqual(keys, [...keys].sort());
  assert.equal(getGroup('nope'), undefined);
  assert.equal(getGroup('science-diagrams/earth-topography').hero.fallback, true);
});

test('sitePath mirrors the tool\'s own normalisation', () => {
  assert.equal(sitePath('static/images/a/b.jpg'), '/images/a/b.jpg');
  assert.equal(sitePath('./images/a/b.jpg'), '/images/a/b.jpg');
  assert.equal(sitePath('/images/a/./b.jpg'), undefined);
  assert.equal(sitePath('C:/images/a.jpg'), undefined);
  assert.equal(sitePath('/images/a\0.jpg'), undefined);
  assert.equal(sitePath(7), undefined);
  assert.deepEqual(STANDARD_RATIOS, ['1x1', '4x3', '16x9']);
});
