// Rows the community importers produce, before they are stored.
import type { GeographyKind } from "./geography.ts";

export interface GeographyRow {
  geoid: string;
  name: string | null;
  kind: GeographyKind;
  /** Line of the file it came from, for error messages. */
  line: number;
}

export interface PopulationRow {
  geoid: string;
  dimension: string;
  category: string;
  count: number;
  /** 90% margin of error; null when unknown. */
  moe: number | null;
  sourceTable: string | null;
  universe: string | null;
  year: number | null;
}
