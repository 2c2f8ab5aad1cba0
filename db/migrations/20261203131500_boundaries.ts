import type { Knex } from "knex";

// Boundary files (GeoJSON, TopoJSON, zipped shapefiles) matched to the census geographies. Each
// import keeps one simplified topology (TopoJSON text: neighbours share their edges, stored
// once) and a row per geography it holds a shape for, so a map finds the newest shape of every
// area without reading every topology.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("boundary_topologies", (t) => {
    t.integer("import_id").primary().references("id").inTable("imports").onDelete("CASCADE");
    t.text("topology").notNullable(); // TopoJSON; one GeometryCollection "areas", ids = geoids
  });
  await knex.schema.createTable("boundaries", (t) => {
    t.increments("id");
    t.integer("import_id").notNullable().references("id").inTable("imports").onDelete("CASCADE");
    t.string("geoid", 60).notNullable().references("geoid").inTable("geographies");
    t.unique(["import_id", "geoid"]);
    t.index(["geoid", "import_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("boundaries");
  await knex.schema.dropTable("boundary_topologies");
}
