// imagevision-frontend: the manifest imagevision writes (static/data/image-vision.json) joined with
// the site's provenance (static/data/image-provenance.json), as the guide's getImage and pickVariant.
// A plain ES module with no dependencies, so a site imports it as it is (Vite, SvelteKit, a module script
// in a page) and the audit tool's preview page inlines the same file.
//
// Model text (subject, category) and provenance text are returned as data, exactly as written: this
// module never parses them or assembles them into markup. Output URLs are built from site paths one
// percent-encoded segment at a time, so a file name can never add a query, a fragment, a scheme or a
// quote to the URL it becomes.

/** The variants every image is expected to have: 1:1 mobile, 4:3 card, 16:9 hero. */
export const STANDARD_RATIOS = Object.freeze(['1x1', '4x3', '16x9']);

const RATIO_ID = /^([1-9][0-9]{0,3})x([1-9][0-9]{0,3})$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const ROLES = new Set(['hero', 'gallery', 'none']);

/**
 * Reads a manifest and (optionally) provenance once; the returned functions look images up.
 *
 * @param {object} manifest   the parsed manifest: `{version: 1, entries: {"/images/…": entry}}`
 * @param {object|Array|null} [provenance] the parsed provenance: `{entries: [...]}`, a bare array of
 *        rows, or an object keyed by path. Read, never modified.
 * @param {{base?: string, staticDir?: string, strict?: boolean}} [options]
 */
export function imageVision(manifest, provenance, options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('imageVision: options must be an object like {base: "/", staticDir: "static"}');
  }
  const base = readBase(options.base);
  const staticDir = readStaticDir(options.staticDir);
  const problems = [];
  const rights = readProvenance(provenance, staticDir, problems);
  const images = readManifest(manifest, staticDir, base, rights, problems);
  const groupList = buildGroups(images);
  const byGroup = new Map(groupList.map((g) => [g.key, g]));
  Object.freeze(problems);
  if (options.strict === true && problems.length > 0) {
    throw new Error('imageVision: ' + problems.length + ' problem(s) in the manifest or provenance:\n'
      + problems.map((p) => '  ' + (p.path === null ? '' : p.path + ': ') + p.message).join('\n'));
  }

  return Object.freeze({
    /** The image for a site path (`/images/…`, `images/…` or `static/images/…`), or undefined. */
    getImage(path) {
      if (typeof path !== 'string') {
        throw new TypeError('getImage: the path must be a string like "/images/missions/x/01.jpg", got ' + describe(path));
      }
      const p = sitePath(path, staticDir);
      return p === undefined ? undefined : images.get(p);
    },
    /** Every group (`missions/curiosity`, …) with its hero and ranked gallery, by key. */
    groups() {
      return groupList;
    },
    /** One group by key, or undefined. */
    getGroup(key) {
      return byGroup.get(key);
    },
    pickVariant,
    objectPosition,
    /** What was skipped or ignored while reading, each with the path it concerns (or null). */
    problems,
  });
}

/**
 * The variant whose ratio is nearest the container's (compared on a log scale, so 2:1 is as far
 * from 1:1 as 1:2). Candidates are the standard ratios and those the image's entry names. When the
 * image has no file for the nearest ratio the source image is served, uncropped, and `source` says so.
 * A tie goes to the narrower ratio.
 *
 * @param {object} img an image from getImage
 * @param {number|string} ratio width / height of the container, or "16:9" / "16x9"
 * @returns {{url: string, ratio: string, source: boolean}}
 */
export function pickVariant(img, ratio) {
  checkImage(img, 'pickVariant');
  const wanted = ratioValue(ratio);
  let best = null;
  let bestDistance = Infinity;
  for (const id of candidateRatios(img)) {
    const d = Math.abs(Math.log(ratioOf(id) / wanted));
    if (d < bestDistance) {
      best = id;
      bestDistance = d;
    }
  }
  const url = Object.hasOwn(img.variants, best) ? img.variants[best] : undefined;
  return Object.freeze(url === undefined ? { url: img.src, ratio: best, source: true } : { url, ratio: best, source: false });
}

/**
 * CSS `object-position` for the image's focal point, e.g. "43.97% 25%". Given the pick being shown,
 * the focal point is placed inside that variant's crop window when the manifest records it (the
 * variant is a cut of the source, so the source's coordinates would be off). No focal point: centre.
 */
export function objectPosition(img, pick) {
  checkImage(img, 'objectPosition');
  const f = img.focal_point;
  if (f === null) return '50% 50%';
  let { x, y } = f;
  if (pick !== undefined && pick !== null && pick.source === false) {
    const w = img.crop_windows[pick.ratio];
    if (w !== undefined && w.w > 0 && w.h > 0) {
      x = (x - w.x) / w.w;
      y = (y - w.y) / w.h;
    }
  }
  return percent(x) + ' ' + percent(y);
}

/**
 * A path as the manifest keys it: `static/images/x.jpg`, `/static/images/x.jpg`, `./images/x.jpg`,
 * `images/x.jpg` → `/images/x.jpg`. Undefined for what is not a path inside the site: a URL, a
 * drive letter, a backslash, a NUL, a `.` or `..` segment, a protocol-relative `//…`.
 */
export function sitePath(raw, staticDir = 'static') {
  if (typeof raw !== 'string') return undefined;
  let p = raw.trim();
  if (p === '' || p.includes('\\') || p.includes('\0') || SCHEME.test(p) || p.startsWith('//')) return undefined;
  while (p.startsWith('./')) p = p.slice(2);
  if (p.startsWith('/' + staticDir + '/')) p = p.slice(staticDir.length + 1);
  else if (p.startsWith(staticDir + '/')) p = p.slice(staticDir.length);
  if (!p.startsWith('/')) p = '/' + p;
  if (p.startsWith('//') || p === '/') return undefined;
  const segments = p.slice(1).split('/');
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  return p;
}

// ---- reading the manifest ------------------------------------------------------------------------

function readManifest(manifest, staticDir, base, rights, problems) {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new TypeError('imageVision: the manifest must be the parsed JSON object of static/data/image-vision.json '
      + '({"version": 1, "entries": {…}}), got ' + describe(manifest)
      + (typeof manifest === 'string' ? ' (JSON.parse it first)' : ''));
  }
  if (manifest.version !== 1) {
    throw new TypeError('imageVision: manifest "version" must be 1, got ' + describe(manifest.version)
      + '; is this an imagevision manifest (static/data/image-vision.json)?');
  }
  const entries = manifest.entries;
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new TypeError('imageVision: manifest "entries" must be an object keyed by image path, got ' + describe(entries));
  }
  const images = new Map();
  for (const key of Object.keys(entries)) {
    const path = sitePath(key, staticDir);
    if (path === undefined) {
      problems.push(problem(key, 'not a path inside the site; the entry is skipped'));
      continue;
    }
    if (images.has(path)) {
      problems.push(problem(key, 'the same image as entry ' + JSON.stringify(images.get(path).key)
        + '; the first one is used'));
      continue;
    }
    const src = urlFor(path, base);
    if (src === undefined) {
      problems.push(problem(key, 'not valid Unicode; the entry is skipped'));
      continue;
    }
    const entry = entries[key];
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(problem(key, 'the entry is ' + describe(entry) + ', not an object; it is skipped'));
      continue;
    }
    const image = readEntry(key, path, src, entry, staticDir, base, rights.get(path), problems);
    images.set(path, { key, image });
  }
  const out = new Map();
  for (const [path, { image }] of images) out.set(path, image);
  return out;
}

function readEntry(key, path, src, entry, staticDir, base, right, problems) {
  const say = (message) => problems.push(problem(key, message));
  const variants = {};
  const missing = new Set(STANDARD_RATIOS);
  const raw = entry.variants;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      say('"variants" is ' + describe(raw) + ', not an object; the source image is served for every ratio');
    } else {
      for (const id of Object.keys(raw)) {
        if (!RATIO_ID.test(id)) {
          say('variant "' + id + '" is not a ratio like "16x9"; it is ignored');
          continue;
        }
        missing.add(id);
        const v = raw[id];
        if (v === '' || v === null) continue; // not made (the site's older files write "")
        const vp = typeof v === 'string' ? sitePath(v, staticDir) : undefined;
        const url = vp === undefined ? undefined : urlFor(vp, base);
        if (url === undefined) {
          say('variant "' + id + '" is ' + describe(v) + ', not a path inside the site; the source image is served instead');
          continue;
        }
        variants[id] = url;
        missing.delete(id);
      }
    }
  }
  const missingList = [...missing].sort(byRatio);
  const selection = readSelection(entry.selection, say);
  const variantUrl = (id) => (Object.hasOwn(variants, id) ? variants[id] : src);
  return Object.freeze({
    path,
    src,
    variant_1x1: variantUrl('1x1'),
    variant_4x3: variantUrl('4x3'),
    variant_16x9: variantUrl('16x9'),
    variants: Object.freeze(variants),
    missing_variants: Object.freeze(missingList),
    subject: optional(entry, 'subject', isString, say),
    score: optional(entry, 'score', (v) => Number.isFinite(v) && v >= 0 && v <= 10, say),
    category: optional(entry, 'category', isString, say),
    focal_point: point(entry.focal_point, say),
    crop_windows: windows(entry.crop_windows, say),
    role: selection.role,
    rank: selection.rank,
    group: selection.group ?? groupOf(path),
    fallback: flag(entry, 'fallback', say),
    rejected_by: optional(entry, 'rejected_by', isString, say),
    license: right === undefined ? null : right.license,
    license_url: right === undefined ? null : right.license_url,
    credit: right === undefined ? null : right.credit,
  });
}

function readSelection(raw, say) {
  const none = { role: null, rank: null, group: null };
  if (raw === undefined || raw === null) return none;
  if (typeof raw !== 'object' || Array.isArray(raw) || !ROLES.has(raw.role)
      || (raw.group !== undefined && raw.group !== null && (typeof raw.group !== 'string' || raw.group === ''))
      || (raw.rank !== undefined && raw.rank !== null && !(Number.isInteger(raw.rank) && raw.rank >= 0))) {
    say('"selection" is ' + describe(raw) + ', not {group, role: hero|gallery|none, rank}; it is ignored');
    return none;
  }
  return { role: raw.role, rank: Number.isInteger(raw.rank) ? raw.rank : null, group: raw.group || null };
}

function optional(entry, name, valid, say) {
  const v = entry[name];
  if (v === undefined || v === null) return null;
  if (valid(v)) return v;
  say('"' + name + '" is ' + describe(v) + '; it is ignored');
  return null;
}

function flag(entry, name, say) {
  const v = entry[name];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  say('"' + name + '" is ' + describe(v) + ', not true or false; read as false');
  return false;
}

function point(raw, say) {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'object' && isFraction(raw.x) && isFraction(raw.y)) return Object.freeze({ x: raw.x, y: raw.y });
  say('"focal_point" is ' + describe(raw) + ', not {x, y} within 0..1; the image is centred instead');
  return null;
}

function windows(raw, say) {
  const out = {};
  if (raw === undefined || raw === null) return Object.freeze(out);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    say('"crop_windows" is ' + describe(raw) + ', not an object; it is ignored');
    return Object.freeze(out);
  }
  for (const id of Object.keys(raw)) {
    const w = raw[id];
    if (RATIO_ID.test(id) && w !== null && typeof w === 'object'
        && isFraction(w.x) && isFraction(w.y) && isFraction(w.w) && isFraction(w.h)) {
      out[id] = Object.freeze({ x: w.x, y: w.y, w: w.w, h: w.h });
    } else {
      say('crop window "' + id + '" is ' + describe(w) + ', not {x, y, w, h} within 0..1; it is ignored');
    }
  }
  return Object.freeze(out);
}

// ---- reading provenance ---------------------------------------------------------------------------

/** Licence and credit by site path. The credit is the row's `credit`, else its `author` (as the audit report shows it). */
function readProvenance(provenance, staticDir, problems) {
  const rights = new Map();
  if (provenance === undefined || provenance === null) return rights;
  if (typeof provenance !== 'object') {
    throw new TypeError('imageVision: provenance must be the parsed JSON of static/data/image-provenance.json '
      + '(an object with "entries", an array of rows, or an object keyed by path), got ' + describe(provenance)
      + (typeof provenance === 'string' ? ' (JSON.parse it first)' : ''));
  }
  const wrapped = !Array.isArray(provenance) && Object.hasOwn(provenance, 'entries');
  const list = wrapped ? provenance.entries : provenance;
  let rows;
  if (Array.isArray(list)) {
    rows = list.map((row, i) => [row, null, 'entry #' + i]);
  } else if (list !== null && typeof list === 'object') {
    // a file keyed by path may also carry header fields (schema_version, …): only objects are rows
    rows = Object.keys(list).filter((k) => wrapped || isObject(list[k])).map((k) => [list[k], k, k]);
  } else {
    throw new TypeError('imageVision: provenance "entries" must be an array of rows or an object keyed by path, got '
      + describe(list));
  }
  for (const [row, key, where] of rows) {
    const named = isObject(row) && typeof row.path === 'string' ? row.path : key ?? where;
    if (!isObject(row)) {
      problems.push(problem(named, 'provenance ' + where + ' is ' + describe(row) + ', not an object; the row is skipped'));
      continue;
    }
    const raw = row.path ?? key ?? undefined;
    const path = sitePath(raw, staticDir);
    if (path === undefined) {
      problems.push(problem(named, 'provenance ' + where + ' has no usable "path" (' + describe(raw) + '); the row is skipped'));
      continue;
    }
    if (rights.has(path)) {
      problems.push(problem(path, 'repeated provenance row; the first one is used'));
      continue;
    }
    const text = (name) => {
      const v = row[name];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v === 'string') return v;
      problems.push(problem(path, 'provenance "' + name + '" is ' + describe(v) + ', not text; it is ignored'));
      return null;
    };
    const license = text('license_short');
    const licenseUrl = text('license_url');
    const credit = text('credit') ?? text('author');
    rights.set(path, { license, license_url: licenseUrl, credit });
  }
  return rights;
}

// ---- groups -----------------------------------------------------------------------------------------

/** Groups as the manifest's selection made them: the hero, then the gallery by rank. */
function buildGroups(images) {
  const byKey = new Map();
  for (const img of images.values()) {
    if (!byKey.has(img.group)) byKey.set(img.group, []);
    byKey.get(img.group).push(img);
  }
  const out = [];
  for (const key of [...byKey.keys()].sort(compareText)) {
    const all = byKey.get(key).sort((a, b) => compareText(a.path, b.path));
    const hero = all.find((i) => i.role === 'hero') ?? null;
    const gallery = all.filter((i) => i.role === 'gallery')
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || compareText(a.path, b.path));
    out.push(Object.freeze({ key, hero, gallery: Object.freeze(gallery), images: Object.freeze(all) }));
  }
  return Object.freeze(out);
}

/** The selection group of a path the way imagevision derives it: `/images/<segment>/<entity>/…`. */
function groupOf(path) {
  const parts = path.split('/');
  if (parts.length > 4 && parts[1] === 'images') return parts[2] + '/' + parts[3];
  if (parts.length === 4 && parts[1] === 'images') {
    const dot = parts[3].lastIndexOf('.');
    return parts[2] + '/' + (dot > 0 ? parts[3].slice(0, dot) : parts[3]);
  }
  return '(ungrouped)';
}

// ---- small pieces -----------------------------------------------------------------------------------

function readBase(raw) {
  if (raw === undefined) return '/';
  if (typeof raw !== 'string') throw new TypeError('imageVision: options.base must be a string like "/" or "../", got ' + describe(raw));
  return raw === '' || raw.endsWith('/') ? raw : raw + '/';
}

function readStaticDir(raw) {
  if (raw === undefined) return 'static';
  const dir = typeof raw === 'string' ? raw.replace(/^\/+|\/+$/g, '') : undefined;
  if (dir === undefined || dir === '' || sitePath(dir, '\0') === undefined) {
    throw new TypeError('imageVision: options.staticDir must be a folder like "static", got ' + describe(raw));
  }
  return dir;
}

/** The URL of a site path: base + each segment percent-encoded (RFC 3986 unreserved characters stay). */
function urlFor(path, base) {
  try {
    return base + path.slice(1).split('/').map(encodeSegment).join('/');
  } catch (e) {
    if (e instanceof URIError) return undefined; // a lone surrogate: no URL can name it
    throw e;
  }
}

function encodeSegment(segment) {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function candidateRatios(img) {
  const ids = new Set(STANDARD_RATIOS);
  for (const id of Object.keys(img.variants)) ids.add(id);
  for (const id of img.missing_variants) ids.add(id);
  return [...ids].sort(byRatio);
}

function ratioValue(ratio) {
  if (typeof ratio === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*$/.exec(ratio);
    const v = m === null ? NaN : Number(m[1]) / Number(m[2]);
    if (Number.isFinite(v) && v > 0) return v;
  } else if (typeof ratio === 'number' && Number.isFinite(ratio) && ratio > 0) {
    return ratio;
  }
  throw new RangeError('pickVariant: the container ratio must be width / height > 0 (a number, or "16:9"), got '
    + describe(ratio) + '; is the container laid out yet?');
}

function ratioOf(id) {
  const m = RATIO_ID.exec(id);
  return Number(m[1]) / Number(m[2]);
}

function byRatio(a, b) {
  return ratioOf(a) - ratioOf(b) || compareText(a, b);
}

function checkImage(img, fn) {
  if (img === null || typeof img !== 'object' || typeof img.src !== 'string' || !isObject(img.variants)
      || !Array.isArray(img.missing_variants)) {
    throw new TypeError(fn + ': the first argument must be an image from getImage(…), got ' + describe(img)
      + (img === undefined ? ' (getImage returns undefined for a path the manifest does not have)' : ''));
  }
}

function percent(v) {
  const c = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5;
  return Number((c * 100).toFixed(2)) + '%';
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isString(v) {
  return typeof v === 'string';
}

function isFraction(v) {
  return typeof v === 'number' && v >= 0 && v <= 1;
}

function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function problem(path, message) {
  return Object.freeze({ path: path === undefined ? null : path, message });
}

function describe(v) {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}
