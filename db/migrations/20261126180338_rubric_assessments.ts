import type { Knex } from "knex";

// The equity self-assessment (the "Community Member Experience" rubric): one row per assessment
// a team records, its 1–10 score per end goal, and for every indicator whether it is met with
// the evidence notes and links the team gave. End-goal and indicator ids are those of the rubric
// file (server/rubric/community-member-experience.json). The date is 'YYYY-MM-DD' text and links
// a JSON array as text, so SQLite and PostgreSQL behave alike.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("rubric_assessments", (t) => {
    t.increments("id");
    t.string("assessed_on", 10).notNullable();
    t.text("participants").notNullable();
    t.text("next_steps").notNullable().defaultTo("");
    // The account that recorded it; the audit log keeps the e-mail if the account goes.
    t.integer("created_by").references("id").inTable("staff_users").onDelete("SET NULL");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["assessed_on"]);
  });

  await knex.schema.createTable("rubric_scores", (t) => {
    t.integer("assessment_id")
      .notNullable()
      .references("id")
      .inTable("rubric_assessments")
      .onDelete("CASCADE");
    t.string("end_goal_id", 40).notNullable();
    t.integer("score").notNullable().checkBetween([1, 10]);
    t.primary(["assessment_id", "end_goal_id"]);
  });

  await knex.schema.createTable("rubric_indicators_met", (t) => {
    t.integer("assessment_id")
      .notNullable()
      .references("id")
      .inTable("rubric_assessments")
      .onDelete("CASCADE");
    t.string("indicator_id", 40).notNullable();
    t.boolean("met").notNullable().defaultTo(false);
    t.text("evidence_notes").notNullable().defaultTo("");
    t.text("links").notNullable().defaultTo("[]");
    t.primary(["assessment_id", "indicator_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("rubric_indicators_met");
  await knex.schema.dropTable("rubric_scores");
  await knex.schema.dropTable("rubric_assessments");
}
