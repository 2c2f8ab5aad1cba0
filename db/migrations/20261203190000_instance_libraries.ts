import type { Knex } from "knex";

// Many libraries in one instance (issue 23). Instance-only (the file name says "instance"): this
// runs on the instance database, which is also the default library's, and never on another
// library's database (server/db.ts). The existing database becomes the default library as it is:
// none of its rows move. Roles move from the account to a membership per library, so one account
// can be an admin in one library and staff in another.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("libraries", (t) => {
    t.increments("id");
    t.string("slug", 40).notNullable().unique();
    t.string("name", 200).notNullable();
    // The IMLS FSCS id (e.g. "IL0123"), so state data lines up with the Public Libraries Survey.
    t.string("fscs_id", 20).unique();
    t.string("region", 100);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex("libraries").insert({ id: 1, slug: "default", name: "Our library" });
  if (knex.client.config.client === "pg") {
    await knex.raw("SELECT setval(pg_get_serial_sequence('libraries', 'id'), 1)");
  }
  await knex.schema.createTable("library_members", (t) => {
    t.integer("staff_user_id")
      .notNullable()
      .references("id")
      .inTable("staff_users")
      .onDelete("CASCADE");
    t.integer("library_id").notNullable().references("id").inTable("libraries").onDelete("CASCADE");
    t.string("role", 10).notNullable();
    t.primary(["staff_user_id", "library_id"]);
    t.index(["library_id"]);
  });
  await knex.raw(
    "INSERT INTO library_members (staff_user_id, library_id, role) SELECT id, 1, role FROM staff_users",
  );
  await knex.schema.alterTable("staff_users", (t) => {
    // Instance-wide: reads the consortium's aggregates across member libraries (never a
    // library's own pages), and creates libraries.
    t.boolean("consortium").notNullable().defaultTo(false);
    t.boolean("super_admin").notNullable().defaultTo(false);
  });
  // Plain SQL both engines take (SQLite since 3.35), so SQLite does not copy the table.
  await knex.raw("ALTER TABLE staff_users DROP COLUMN role");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("staff_users", (t) => {
    t.string("role", 10).notNullable().defaultTo("staff");
  });
  await knex.raw(
    "UPDATE staff_users SET role = (SELECT role FROM library_members m WHERE m.staff_user_id = staff_users.id AND m.library_id = 1) WHERE id IN (SELECT staff_user_id FROM library_members WHERE library_id = 1)",
  );
  await knex.raw("ALTER TABLE staff_users DROP COLUMN consortium");
  await knex.raw("ALTER TABLE staff_users DROP COLUMN super_admin");
  await knex.schema.dropTable("library_members");
  await knex.schema.dropTable("libraries");
}
