import type { Knex } from "knex";

// Staff tags on open answers (free text, "other" texts, comment boxes), so qualitative input
// can be coded and counted. `question` is the answer's key in the response data (the question
// name, or "<name>-Comment" for its other/comment text). A tag is stored once per answer.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("open_answer_tags", (t) => {
    t.increments("id");
    t.string("response_id", 36)
      .notNullable()
      .references("id")
      .inTable("responses")
      .onDelete("CASCADE");
    t.string("question", 120).notNullable();
    t.string("tag", 50).notNullable();
    // The staff member who tagged it; kept as a number without a foreign key, like the audit log,
    // so a tag outlives the account.
    t.integer("created_by");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(["response_id", "question", "tag"]);
    t.index(["tag"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("open_answer_tags");
}
