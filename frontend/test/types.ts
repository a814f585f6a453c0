// Type-checked by `tsc -p test/tsconfig.json` (bin/test): the declarations as a site uses them, imported
// through the package's own name (package.json "exports"), and the mistakes they must refuse.
import { imageVision, pickVariant, objectPosition, sitePath, STANDARD_RATIOS } from 'imagevision-frontend';
import type { ImageVisionImage, VariantPick, ImageGroup, Problem } from 'imagevision-frontend';
import manifestJson from './fixtures/demo-manifest.json' with { type: 'json' };
import provenanceJson from '../../sample-site/static/data/image-provenance.json' with { type: 'json' };

const vision = imageVision(manifestJson, provenanceJson, { base: '/', staticDir: 'static', strict: false });
const { getImage, getGroup, groups, problems } = vision;

const img: ImageVisionImage | undefined = getImage('static/images/missions/hubble/03.jpg');
if (img !== undefined) {
  const hero: string = img.variant_16x9;
  const card: string = img.variant_4x3;
  const thumb: string = img.variant_1x1;
  const alt: string = img.subject ?? '';
  const credit: string | null = img.credit;
  const license: string | null = img.license;
  const missing: readonly string[] = img.missing_variants;
  const pick: VariantPick = vision.pickVariant(img, 1280 / 720);
  const url: string = pick.url;
  const fromSource: boolean = pick.source;
  const css: string = objectPosition(img, pickVariant(img, '4:3'));
  const role: 'hero' | 'gallery' | 'none' | null = img.role;
  const fallback: boolean = img.fallback;
  const score: number | null = img.score;
  const category: string | null = img.category;
  if (img.focal_point !== null) {
    const x: number = img.focal_point.x * 100;
    void x;
  }
  void [hero, card, thumb, alt, credit, license, missing, url, fromSource, css, role, fallback, score, category];

  // @ts-expect-error the focal point may be null: a site must handle a manifest without one
  void img.focal_point.x;
  // @ts-expect-error everything returned is read-only
  img.subject = 'changed';
  // @ts-expect-error the container ratio is a number or "16:9", not an element
  pickVariant(img, {});
  // @ts-expect-error there is no 2x1 field; use pickVariant or img.variants
  void img.variant_2x1;
}

const group: ImageGroup | undefined = getGroup('missions/hubble');
const heroOfGroup: ImageVisionImage | null | undefined = group?.hero;
const all: readonly ImageGroup[] = groups();
const issues: readonly Problem[] = problems;
const normalised: string | undefined = sitePath('static/images/x.jpg');
const ratios: readonly string[] = STANDARD_RATIOS;
void [heroOfGroup, all, issues, normalised, ratios];

// the provenance shapes the site writes
imageVision(manifestJson, [{ path: '/images/x.jpg', license_short: 'PD-NASA' }]);
imageVision(manifestJson, { '/images/x.jpg': { license_short: 'PD-NASA' } });
imageVision(manifestJson, null);
imageVision(manifestJson);

// @ts-expect-error the manifest is the parsed object, not its text
imageVision('{"version":1,"entries":{}}');
// @ts-expect-error getImage takes a path
getImage(42);
// @ts-expect-error options are named
imageVision(manifestJson, null, { strict: 'yes' });
