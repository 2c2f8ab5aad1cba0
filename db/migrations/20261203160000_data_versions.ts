import type { Knex } from "knex";

// Counters that say when the data behind the staff pages changed (issue 21), so a server
// process can keep parsed responses and computed tables and check them with one small query,
// whichever process wrote. Triggers bump them in the writing transaction, so no write path
// can forget to:
// - "responses": any update or delete of a response;
// - "count:<survey>" and "count": how many responses a survey, and all surveys, hold (a stamp
//   is then read without counting rows);
// - "inputs": any write to what the tables and the fieldwork guide read besides responses
//   (survey definitions and translations, open-answer tags, census and patron imports, areas,
//   boundaries, places, fieldwork targets).
// New responses are found by a sequence that grows in commit order: SQLite's rowid (one writer
// at a time); on PostgreSQL a `seq` column filled from a counter row that each inserting
// transaction locks until it commits. Readers still compare counts, so a missed row is noticed.
const INPUT_TABLES = [
  "surveys",
  "survey_versions",
  "survey_translations",
  "open_answer_tags",
  "imports",
  "geographies",
  "community_population",
  "crosswalk",
  "patron_counts",
  "boundaries",
  "boundary_topologies",
  "kiosk_locations",
  "fieldwork_targets",
  "fieldwork_plans",
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("data_versions", (t) => {
    t.string("name", 120).primary();
    t.bigInteger("version").notNullable().defaultTo(0);
  });
  await knex("data_versions").insert([
    { name: "responses", version: 0 },
    { name: "inputs", version: 0 },
    { name: "responses.inserted", version: 0 },
  ]);
  await knex.raw(
    "INSERT INTO data_versions (name, version) SELECT 'count:' || survey_slug, count(*) FROM responses GROUP BY survey_slug",
  );
  await knex.raw(
    "INSERT INTO data_versions (name, version) SELECT 'count', count(*) FROM responses",
  );
  const sqlite = knex.client.config.client === "sqlite3";
  if (sqlite) {
    const add = (row: "NEW" | "OLD", by: number) =>
      `INSERT INTO data_versions (name, version) VALUES ('count:' || ${row}.survey_slug, 0) ON CONFLICT (name) DO NOTHING; UPDATE data_versions SET version = version + ${by} WHERE name IN ('count', 'count:' || ${row}.survey_slug);`;
    await knex.raw(
      `CREATE TRIGGER responses_insert_count AFTER INSERT ON responses BEGIN ${add("NEW", 1)} END`,
    );
    await knex.raw(
      `CREATE TRIGGER responses_update_version AFTER UPDATE ON responses BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'responses'; ${add("OLD", -1)} ${add("NEW", 1)} END`,
    );
    await knex.raw(
      `CREATE TRIGGER responses_delete_version AFTER DELETE ON responses BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'responses'; ${add("OLD", -1)} END`,
    );
    for (const table of INPUT_TABLES) {
      for (const event of ["INSERT", "UPDATE", "DELETE"]) {
        await knex.raw(
          `CREATE TRIGGER ${table}_${event.toLowerCase()}_version AFTER ${event} ON ${table} BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'inputs'; END`,
        );
      }
    }
    return;
  }
  await knex.raw(`CREATE FUNCTION bump_data_version() RETURNS trigger AS $$
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE FUNCTION number_response() RETURNS trigger AS $$
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'responses.inserted'
    RETURNING version INTO NEW.seq;
  RETURN NEW;
END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE FUNCTION count_responses() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE data_versions SET version = version - 1 WHERE name IN ('count', 'count:' || OLD.survey_slug);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO data_versions (name, version) VALUES ('count:' || NEW.survey_slug, 0)
      ON CONFLICT (name) DO NOTHING;
    UPDATE data_versions SET version = version + 1 WHERE name IN ('count', 'count:' || NEW.survey_slug);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql`);
  await knex.schema.alterTable("responses", (t) => {
    t.bigInteger("seq");
  });
  await knex.raw(
    "CREATE TRIGGER responses_seq BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION number_response()",
  );
  await knex.raw(
    "CREATE TRIGGER responses_version AFTER UPDATE OR DELETE ON responses FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('responses')",
  );
  await knex.raw(
    "CREATE TRIGGER responses_count AFTER INSERT OR UPDATE OR DELETE ON responses FOR EACH ROW EXECUTE FUNCTION count_responses()",
  );
  for (const table of INPUT_TABLES) {
    await knex.raw(
      `CREATE TRIGGER ${table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('inputs')`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  const sqlite = knex.client.config.client === "sqlite3";
  if (sqlite) {
    await knex.raw("DROP TRIGGER responses_insert_count");
    for (const event of ["update", "delete"])
      await knex.raw(`DROP TRIGGER responses_${event}_version`);
    for (const table of INPUT_TABLES) {
      for (const event of ["insert", "update", "delete"]) {
        await knex.raw(`DROP TRIGGER ${table}_${event}_version`);
      }
    }
  } else {
    for (const table of INPUT_TABLES) await knex.raw(`DROP TRIGGER ${table}_version ON ${table}`);
    await knex.raw("DROP TRIGGER responses_count ON responses");
    await knex.raw("DROP TRIGGER responses_version ON responses");
    await knex.raw("DROP TRIGGER responses_seq ON responses");
    await knex.schema.alterTable("responses", (t) => {
      t.dropColumn("seq");
    });
    await knex.raw("DROP FUNCTION count_responses()");
    await knex.raw("DROP FUNCTION number_response()");
    await knex.raw("DROP FUNCTION bump_data_version()");
  }
  await knex.schema.dropTable("data_versions");
}
