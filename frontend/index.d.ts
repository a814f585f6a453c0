// Types for imagevision-frontend (index.js). Everything returned is frozen.

/** A variant ratio id as the manifest writes it: width "x" height, e.g. "16x9". */
export type RatioId = `${number}x${number}`;

/** A point as fractions of the source image (0..1 from the left and the top). */
export interface FocalPoint {
  readonly x: number;
  readonly y: number;
}

/** The window a variant was cut from, as fractions of the source. */
export interface CropWindow {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** What the manifest's selection made of an image in its group; null when the manifest has no selection. */
export type Role = 'hero' | 'gallery' | 'none';

/** One image of the manifest, joined with its provenance row. URLs are percent-encoded and start with `base`. */
export interface ImageVisionImage {
  /** The site path the manifest keys it by, e.g. "/images/missions/curiosity/01.jpg". */
  readonly path: string;
  /** URL of the source image. */
  readonly src: string;
  /** URL of the 1:1 variant (mobile rows), or of the source when it has none (see missing_variants). */
  readonly variant_1x1: string;
  /** URL of the 4:3 variant (cards), or of the source when it has none. */
  readonly variant_4x3: string;
  /** URL of the 16:9 variant (desktop hero), or of the source when it has none. */
  readonly variant_16x9: string;
  /** The variants that exist, URL by ratio id (standard and any others the manifest names). */
  readonly variants: Readonly<Record<string, string>>;
  /** Ratio ids with no variant file (standard ones included), narrowest first: the source stands in for them. */
  readonly missing_variants: readonly string[];
  /** One sentence from the vision model: use it as alt text. Plain text, never markup. */
  readonly subject: string | null;
  /** 1-10 from the model; 0 when the editor flagged the image. */
  readonly score: number | null;
  readonly category: string | null;
  /** For CSS object-position (see objectPosition); null when the manifest has none. */
  readonly focal_point: FocalPoint | null;
  /** The window each variant was cut from (imagevision's manifests; empty for older ones). */
  readonly crop_windows: Readonly<Record<string, CropWindow>>;
  readonly role: Role | null;
  /** 0 for the hero, 1.. for the gallery, null otherwise. */
  readonly rank: number | null;
  /** The selection group, e.g. "missions/curiosity". */
  readonly group: string;
  /** True when the hero was chosen although no image of the group was acceptable. */
  readonly fallback: boolean;
  /** Why the image is not acceptable ("human", "off-subject", …), or null. */
  readonly rejected_by: string | null;
  /** Provenance `license_short`. */
  readonly license: string | null;
  /** Provenance `license_url`, as written (check its scheme before making it a link). */
  readonly license_url: string | null;
  /** Provenance `credit`, else `author`. */
  readonly credit: string | null;
}

/** What pickVariant chose. */
export interface VariantPick {
  readonly url: string;
  /** The ratio id nearest the container. */
  readonly ratio: string;
  /** True when the image has no variant of that ratio and `url` is the source image. */
  readonly source: boolean;
}

export interface ImageGroup {
  readonly key: string;
  readonly hero: ImageVisionImage | null;
  /** Ranked. */
  readonly gallery: readonly ImageVisionImage[];
  /** Every image of the group, by path. */
  readonly images: readonly ImageVisionImage[];
}

export interface Problem {
  /** The manifest key or provenance path concerned, or null. */
  readonly path: string | null;
  readonly message: string;
}

export interface ImageVisionOptions {
  /** Prefix of every URL returned: "/" (default), "../" for a page in static/data, or a CDN's "https://…/". */
  base?: string;
  /** The folder that holds the site's static files, stripped from paths like "static/images/…" (default "static"). */
  staticDir?: string;
  /** Throw when any entry or row had to be skipped or a field ignored, instead of listing it in `problems`. */
  strict?: boolean;
}

/** A parsed provenance file: an object with `entries`, a bare array of rows, or an object keyed by path. */
export type Provenance =
  | { readonly entries: readonly object[] | Readonly<Record<string, object>>; readonly [key: string]: unknown }
  | readonly object[]
  | Readonly<Record<string, unknown>>;

export interface ImageVision {
  /** The image for "/images/…", "images/…" or "static/images/…"; undefined when the manifest has no such entry. */
  getImage(path: string): ImageVisionImage | undefined;
  groups(): readonly ImageGroup[];
  getGroup(key: string): ImageGroup | undefined;
  pickVariant: typeof pickVariant;
  objectPosition: typeof objectPosition;
  /** Entries, rows and fields that were skipped or ignored, and why. */
  readonly problems: readonly Problem[];
}

/** The standard ratios: 1:1 mobile, 4:3 card, 16:9 hero. */
export const STANDARD_RATIOS: readonly ['1x1', '4x3', '16x9'];

/**
 * Reads the manifest (static/data/image-vision.json, parsed) and provenance once.
 * Throws a TypeError when either is not in a shape imagevision or the site writes.
 */
export function imageVision(manifest: object, provenance?: Provenance | null, options?: ImageVisionOptions): ImageVision;

/**
 * The variant of nearest ratio for a container of `ratio` = width / height (or "16:9"), or the source when the
 * image lacks that variant. Throws a RangeError for a ratio that is not a positive finite number.
 */
export function pickVariant(img: ImageVisionImage, ratio: number | string): VariantPick;

/** CSS object-position for the focal point ("43.97% 25%"), placed inside the picked variant's crop window. */
export function objectPosition(img: ImageVisionImage, pick?: VariantPick | null): string;

/** A path as the manifest keys it ("/images/…"), or undefined for anything that is not a path inside the site. */
export function sitePath(path: string, staticDir?: string): string | undefined;
