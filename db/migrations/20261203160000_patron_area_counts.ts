import type { Knex } from "knex";

// The patron cube in the shape the usage-gap analysis reads it: per import, per dimension (age,
// language, patron type, branch), per area and category, the patrons, the active users and the
// active users' checkouts. patron_counts crosses every dimension with every other (170,000 cells
// for a million patrons over 1,000 tracts); reading it meant a GROUP BY over all of it per
// dimension, most of the analysis's time. The patron import writes both tables; this migration
// back-fills the new one from the patron_counts rows of earlier imports, by the same sums.
//   active_checkouts: null when the export had no checkouts column (every cell's checkouts null).
//   age_lo, age_hi: the age band's first and last year (only for dimension "age").
const DIMENSIONS = [
  ["age", "age_band"],
  ["language", "language"],
  ["patron_type", "patron_type"],
  ["branch", "branch"],
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("patron_area_counts", (t) => {
    t.integer("import_id").notNullable().references("id").inTable("imports").onDelete("CASCADE");
    t.string("dimension", 20).notNullable();
    t.string("geoid", 60); // null: unknown area, as in patron_counts
    t.string("category", 80); // null: unknown category, as in patron_counts
    t.integer("age_lo");
    t.integer("age_hi");
    t.integer("patrons").notNullable();
    t.integer("active_users").notNullable();
    t.bigInteger("active_checkouts");
    t.index(["import_id", "dimension", "geoid", "category"]);
  });
  const active = "CASE WHEN active THEN 1 ELSE 0 END";
  for (const [dimension, column] of DIMENSIONS) {
    const age = dimension === "age" ? "MIN(age_lo), MAX(age_hi)" : "NULL, NULL";
    await knex.raw(
      `INSERT INTO patron_area_counts
         (import_id, dimension, geoid, category, age_lo, age_hi, patrons, active_users, active_checkouts)
       SELECT import_id, '${dimension}', geoid, ${column}, ${age}, SUM(count), SUM(count * ${active}),
         CASE WHEN COUNT(checkouts) > 0 THEN SUM(checkouts * ${active}) END
       FROM patron_counts
       GROUP BY import_id, geoid, ${column}`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("patron_area_counts");
}
