// Shared by the tests: the fixtures (read fresh each time, so no test sees another's changes) and deepFreeze.
import { readFileSync } from 'node:fs';

const here = new URL('.', import.meta.url);

export function fixture(name) {
  return JSON.parse(readFileSync(new URL('fixtures/' + name, here), 'utf8'));
}

/** The bundled sample site's provenance (the demo's input): an object with `entries`, with `credit` fields. */
export function sampleProvenance() {
  return JSON.parse(readFileSync(new URL('../../sample-site/static/data/image-provenance.json', here), 'utf8'));
}

/** Freezes a parsed JSON value all the way down: any write to it then throws (ES modules are strict). */
export function deepFreeze(v) {
  if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) deepFreeze(v[k]);
    Object.freeze(v);
  }
  return v;
}

/** A manifest with the given entries, in imagevision's header shape. */
export function manifestOf(entries) {
  return { version: 1, generated_at: null, vision_provider: 'local', vision_model: 'm', prompt_version: 'p', entries };
}

/** A complete entry as imagevision writes it; `over` replaces fields. */
export function entry(path, over = {}) {
  const base = path.replace(/\.[^./]+$/, '');
  return {
    score: 7,
    subject: 'A rover on red sand.',
    category: 'surface',
    focal_point: { x: 0.4, y: 0.6 },
    subject_box: { x: 0.2, y: 0.3, w: 0.5, h: 0.5 },
    subject_match: true,
    reject_reason: null,
    variants: { '1x1': base + '.1x1.jpg', '4x3': base + '.4x3.jpg', '16x9': base + '.16x9.jpg' },
    crop_windows: {
      '1x1': { x: 0.1, y: 0, w: 0.75, h: 1 },
      '4x3': { x: 0, y: 0, w: 1, h: 1 },
      '16x9': { x: 0, y: 0.2, w: 1, h: 0.75 },
    },
    rejected_by: null,
    fallback: false,
    selection: { group: 'missions/curiosity', role: 'hero', rank: 0 },
    provider: 'local',
    model: 'm',
    scored_at: '2026-01-01T00:00:00Z',
    scoring_cost_usd: 0,
    ...over,
  };
}
