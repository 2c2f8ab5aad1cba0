import type { Knex } from "knex";

// rubric_assessments.created_by referred to staff_users, but accounts live in the instance
// database only (issue 23): in any other library's database the table is empty, so recording an
// assessment there failed on the foreign key. There the column keeps the account id without the
// constraint (the audit log keeps the e-mail); the instance database keeps its constraint.
// SQLite rebuilds the table to drop a constraint: outside a transaction, so Knex can turn foreign
// keys off meanwhile and the rebuild does not cascade into rubric_scores.
export const config = { transaction: false };

const isInstance = (knex: Knex) => knex.schema.hasTable("libraries");

export async function up(knex: Knex): Promise<void> {
  if (await isInstance(knex)) return;
  await knex.schema.alterTable("rubric_assessments", (t) => {
    t.dropForeign(["created_by"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (await isInstance(knex)) return;
  await knex.schema.alterTable("rubric_assessments", (t) => {
    t.foreign("created_by").references("id").inTable("staff_users").onDelete("SET NULL");
  });
}
