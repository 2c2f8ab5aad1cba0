// Eight crafted responses to test/results/fixtures/all-types.json. Every expected number in
// the tests that use them is worked out by hand in the test's comments.
import { response } from "./helpers.ts";

export const crafted = [
  response(
    {
      use: "weekly",
      barriers: ["hours", "fees"],
      branch: "central",
      langs: ["english"],
      kids: true,
      welcome: 5,
      priorities: ["books", "stem", "space"],
      agree: { staff: 3, space: 2 },
      visits: { weekday: { freq: "often", hours: 2 } },
      zip: "94110",
      comment: "More hours please",
    },
    { id: "r1", language: "en", channel: "web", submittedAt: new Date("2024-01-05T10:00:00Z") },
  ),
  response(
    {
      use: "monthly",
      barriers: ["hours"],
      branch: "east",
      langs: ["english", "spanish"],
      kids: false,
      welcome: 4,
      priorities: ["stem", "books", "space"],
      agree: { staff: 3, space: 3 },
      visits: { weekday: { freq: "rarely", hours: 1 }, weekend: { freq: "often" } },
      comment: "Más horas",
    },
    {
      id: "r2",
      language: "es",
      channel: "kiosk",
      location: "central",
      submittedAt: new Date("2024-01-20T10:00:00Z"),
    },
  ),
  response(
    {
      use: "never",
      barriers: ["distance", "other"],
      "barriers-Comment": "No bus",
      branch: "central",
      langs: ["spanish"],
      kids: true,
      welcome: 2,
      priorities: ["space", "stem", "books"],
      agree: { staff: 1 },
      comment: "=cmd",
    },
    {
      id: "r3",
      language: "es",
      channel: "kiosk",
      location: "central",
      submittedAt: new Date("2024-02-03T10:00:00Z"),
    },
  ),
  response(
    {
      use: "never",
      barriers: ["nothing"],
      langs: ["chinese"],
      welcome: 3,
      priorities: ["books", "space", "stem"],
    },
    { id: "r4", submittedAt: new Date("2024-02-10T10:00:00Z") },
  ),
  response(
    {
      use: "other",
      "use-Comment": "Bookmobile only",
      barriers: ["hours", "distance", "fees"],
      welcome: 5,
    },
    { id: "r5", submittedAt: new Date("2024-02-15T10:00:00Z") },
  ),
  response({ use: "weekly" }, { id: "r6", submittedAt: new Date("2024-03-01T10:00:00Z") }),
  response(
    { use: "old_code", welcome: 1 },
    { id: "r7", submittedAt: new Date("2024-03-02T10:00:00Z") },
  ),
  response({}, { id: "r8", submittedAt: new Date("2024-03-03T10:00:00Z") }),
];
