// What the usage-gap analysis needs to know about the stored geographies before it reads counts
// (the counts themselves come from populationBy in community.ts and usersBy in patrons.ts): which
// kind of geography the patrons were placed in, and which kinds a crosswalk joins. Portable
// between SQLite and PostgreSQL (pg's string sums are converted here).
import type { Db } from "../db.ts";

export interface KindCount {
  kind: string;
  /** Patrons (for patron kinds) or distinct geographies (for crosswalk kinds). */
  count: number;
}

/**
 * The geography kinds of one circulation import's patrons (patrons of the unknown area, geoid
 * null, are not counted), largest first.
 */
export async function patronGeographyKinds(db: Db, importId: number): Promise<KindCount[]> {
  // Patrons per geoid first (from the sums by age: every patron is in one age row of an area),
  // then their kinds: a join of a few thousand areas instead of every cube cell.
  const perArea = db("patron_area_counts")
    .select("geoid")
    .sum({ patrons: "patrons" })
    .where({ import_id: importId, dimension: "age" })
    .whereNotNull("geoid")
    .groupBy("geoid")
    .as("pa");
  const rows = (await db
    .from(perArea)
    .join("geographies as g", "g.geoid", "pa.geoid")
    .select("g.kind")
    .sum({ patrons: "pa.patrons" })
    .groupBy("g.kind")) as { kind: string; patrons: number | string | null }[];
  return rows
    .map((row) => ({ kind: row.kind, count: Number(row.patrons ?? 0) }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

export interface CrosswalkKinds {
  /** Kinds of the census geographies the crosswalk rolls up (those stored as geographies). */
  from: KindCount[];
  /** Kinds of the areas it rolls them up into (normally "custom"). */
  to: KindCount[];
}

/** The kinds of geography one crosswalk import joins. */
export async function crosswalkKinds(db: Db, crosswalkImportId: number): Promise<CrosswalkKinds> {
  const side = async (column: "from_geoid" | "to_geoid") => {
    const rows = (await db("crosswalk as cw")
      .join("geographies as g", "g.geoid", `cw.${column}`)
      .select("g.kind")
      .countDistinct({ areas: `cw.${column}` })
      .where("cw.import_id", crosswalkImportId)
      .groupBy("g.kind")) as { kind: string; areas: number | string }[];
    return rows
      .map((row) => ({ kind: row.kind, count: Number(row.areas) }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  };
  return { from: await side("from_geoid"), to: await side("to_geoid") };
}
