import type { Knex } from "knex";

// What each kiosk device last opened (survey, place, when), so closing a survey can name the
// kiosks showing it. A kiosk link names its survey; nothing else records which kiosk shows what.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("kiosk_devices", (t) => {
    t.string("last_survey", 100);
    t.string("last_location", 100);
    t.timestamp("last_seen_at", { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("kiosk_devices", (t) => {
    t.dropColumn("last_seen_at");
    t.dropColumn("last_location");
    t.dropColumn("last_survey");
  });
}
