// The area of a patron export row: its geography value (a ZIP, ZIP+4, tract id, …) matched to the
// imported geographies of the mapped kind, each distinct value once; a blank, malformed or
// not-imported value puts the row in the unknown area (code 0), counted by why.
import { InputError } from "../errors.ts";
import { normalisePatronGeography, type PatronGeographyKind } from "./geography.ts";
import type { Mapping } from "./mapping.ts";
import { GEO_CODES, Resolver } from "./patron-codes.ts";

export interface UnknownArea {
  total: number;
  blank: number;
  malformed: number;
  notImported: number;
  notMapped: number;
}

type GeoStatus = "known" | "blank" | "malformed" | "notImported";

/** "94110" or the ZIP of "94110-1234", without allocating for the former; null otherwise. */
function fiveDigitZip(raw: string): string | null {
  const length = raw.length;
  if (length !== 5 && !(length === 10 && raw.charCodeAt(5) === 45)) return null;
  for (let i = 0; i < 5; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return length === 5 ? raw : raw.slice(0, 5);
}

export class PatronAreas {
  /** Area code → geoid; code 0: unknown area. */
  private readonly geos: string[] = [""];
  private readonly geoCode = new Map<string, number>();
  private readonly kind: PatronGeographyKind | undefined;
  // A geography value's detail code → its area code, and why it is unknown.
  private readonly detailArea: number[] = [];
  private readonly detailStatus: GeoStatus[] = [];
  private readonly detailValue: string[] = [];
  private readonly details = new Resolver((raw) => this.detail(raw));
  /** ZIP kinds: 5-digit ZIP → detail code, so ZIP+4 values need no cache entry of their own. */
  private readonly zipDetail = new Map<string, number>();
  private readonly zipKind: boolean;
  readonly unknownArea: UnknownArea = {
    total: 0,
    blank: 0,
    malformed: 0,
    notImported: 0,
    notMapped: 0,
  };
  /** Values not among the imported areas → rows. */
  readonly notImported = new Map<string, number>();

  /** `knownGeoids`: geoids a patron's geography may match (null when none is mapped). */
  constructor(mapping: Mapping, knownGeoids: ReadonlySet<string> | null) {
    this.kind = mapping.geography?.kind as PatronGeographyKind | undefined;
    this.zipKind = this.kind === "zip" || this.kind === "zcta";
    if ((knownGeoids?.size ?? 0) >= GEO_CODES - 1) {
      throw new InputError(
        `${knownGeoids?.size} imported geographies of the mapped kind: the patron import matches at most ${GEO_CODES - 2}; import only the service area's`,
      );
    }
    for (const geoid of knownGeoids ?? []) {
      this.geoCode.set(geoid, this.geos.length);
      this.geos.push(geoid);
    }
  }

  /** The geoid of an area code (null: the unknown area). */
  geoid(code: number): string | null {
    return code === 0 ? null : (this.geos[code] as string);
  }

  /** The area code of an accepted row's geography value, counting it when unknown. */
  code(raw: string): number {
    const zip = this.zipKind ? fiveDigitZip(raw) : null;
    let detail: number;
    if (zip === null) detail = this.details.resolve(raw);
    else {
      const known = this.zipDetail.get(zip);
      detail = known ?? this.details.resolve(zip);
      if (known === undefined) this.zipDetail.set(zip, detail);
    }
    const area = this.detailArea[detail] as number;
    if (area === 0) this.countUnknown(detail);
    return area;
  }

  /** An accepted row when the mapping names no geography column. */
  countNotMapped(): void {
    this.unknownArea.total++;
    this.unknownArea.notMapped++;
  }

  /** Adds the unknown-area counts of a part of the file read elsewhere. */
  absorb(unknownArea: UnknownArea, notImported: readonly [string, number][]): void {
    for (const field of ["total", "blank", "malformed", "notImported", "notMapped"] as const) {
      this.unknownArea[field] += unknownArea[field];
    }
    for (const [value, n] of notImported)
      this.notImported.set(value, (this.notImported.get(value) ?? 0) + n);
  }

  private detail(raw: string): number {
    const normalised = normalisePatronGeography(raw, this.kind as PatronGeographyKind);
    if (normalised === "") return this.addDetail(0, "blank", "");
    if (normalised === null) return this.addDetail(0, "malformed", "");
    const area = this.geoCode.get(normalised);
    return area === undefined
      ? this.addDetail(0, "notImported", normalised)
      : this.addDetail(area, "known", normalised);
  }

  private addDetail(area: number, status: GeoStatus, value: string): number {
    this.detailArea.push(area);
    this.detailStatus.push(status);
    this.detailValue.push(value);
    return this.detailArea.length - 1;
  }

  private countUnknown(detail: number): void {
    const status = this.detailStatus[detail] as GeoStatus;
    this.unknownArea.total++;
    if (status === "notImported") {
      this.unknownArea.notImported++;
      const value = this.detailValue[detail] as string;
      this.notImported.set(value, (this.notImported.get(value) ?? 0) + 1);
    } else if (status === "blank" || status === "malformed") {
      this.unknownArea[status]++;
    }
  }
}
