// A supertest agent for a browser enrolled as a kiosk (with an enrolment code, as a tablet would be).
import request from "supertest";
import { createEnrolmentCode } from "../../server/kiosk/enrolment.ts";
import type { TestApp } from "../helpers/app.ts";

export type KioskAgent = ReturnType<typeof request.agent>;

export async function enrolledKiosk(t: Pick<TestApp, "app" | "db">): Promise<KioskAgent> {
  const { code } = await createEnrolmentCode(t.db, "Test tablets", null);
  const agent = request.agent(t.app);
  const res = await agent.post("/kiosk/enrol").type("form").send({ code });
  if (res.status !== 303) throw new Error(`enrolling the kiosk failed with ${res.status}`);
  return agent;
}
