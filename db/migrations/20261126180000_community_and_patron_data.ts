import type { Knex } from "knex";

// Community (census) data, crosswalks into library areas, and the patron cube, each row tied to
// the import that brought it. Raw patron rows are never stored: patron_counts is an aggregate.
// Dates are kept as 'YYYY-MM-DD' text and JSON as text, so SQLite and PostgreSQL behave alike.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("imports", (t) => {
    t.increments("id");
    t.string("kind", 20).notNullable(); // community | circulation | crosswalk
    t.string("file_name", 255).notNullable();
    t.string("file_sha256", 64).notNullable();
    t.integer("rows_read").notNullable().defaultTo(0);
    t.integer("rows_accepted").notNullable().defaultTo(0);
    t.integer("rows_excluded").notNullable().defaultTo(0);
    t.integer("rows_rejected").notNullable().defaultTo(0);
    t.text("excluded").notNullable().defaultTo("{}"); // rule → count
    t.text("rejected").notNullable().defaultTo("{}"); // reason → { count, lines, column, expected }
    t.text("unknown_categories").notNullable().defaultTo("{}"); // field → { value → count }
    t.text("details").notNullable().defaultTo("{}"); // the rest of the report (unknown areas, tables…)
    t.string("as_of", 10); // YYYY-MM-DD: the patron export's reference date
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("replaced_at", { useTz: true }); // set when --replace re-imported the same file
    t.integer("replace_count").notNullable().defaultTo(0);
    t.unique(["kind", "file_sha256"]);
  });

  await knex.schema.createTable("geographies", (t) => {
    t.string("geoid", 60).primary(); // text: leading zeros matter (06075…)
    t.string("name", 255);
    t.string("kind", 20).notNullable(); // tract | blockgroup | zcta | place | county | … | custom
  });

  await knex.schema.createTable("community_population", (t) => {
    t.increments("id");
    t.integer("import_id").notNullable().references("id").inTable("imports").onDelete("CASCADE");
    t.string("geoid", 60).notNullable().references("geoid").inTable("geographies");
    t.string("dimension", 40).notNullable();
    t.string("category", 120).notNullable();
    t.double("count").notNullable();
    t.double("moe"); // 90% margin of error; null when unknown
    t.string("source_table", 40); // e.g. B01001, or "tidy"
    t.string("universe", 120);
    t.integer("year");
    t.unique(["import_id", "geoid", "dimension", "category"]);
    t.index(["dimension", "geoid", "import_id"]);
  });

  await knex.schema.createTable("crosswalk", (t) => {
    t.increments("id");
    t.integer("import_id").notNullable().references("id").inTable("imports").onDelete("CASCADE");
    t.string("from_geoid", 60).notNullable();
    t.string("to_geoid", 60).notNullable().references("geoid").inTable("geographies");
    t.double("weight").notNullable().defaultTo(1);
    t.unique(["import_id", "from_geoid", "to_geoid"]);
  });

  await knex.schema.createTable("patron_counts", (t) => {
    t.increments("id");
    t.integer("import_id").notNullable().references("id").inTable("imports").onDelete("CASCADE");
    t.string("geoid", 60); // null: unknown area (blank, malformed or not among imported areas)
    t.string("age_band", 40); // "20 to 24 years", "85 years and over", or the export's own label
    t.integer("age_lo"); // first year of the band
    t.integer("age_hi"); // last year of the band; null for open-ended bands ("65+")
    t.string("language", 80); // an ACS language group, or the export's value when unrecognised
    t.string("patron_type", 80);
    t.string("branch", 80);
    t.boolean("active").notNullable();
    t.integer("count").notNullable();
    t.bigInteger("checkouts"); // null when the mapping names no checkouts column
    t.index(["import_id", "geoid"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("patron_counts");
  await knex.schema.dropTable("crosswalk");
  await knex.schema.dropTable("community_population");
  await knex.schema.dropTable("geographies");
  await knex.schema.dropTable("imports");
}
