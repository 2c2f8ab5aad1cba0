// "Why not?": the choices of a multi-select question (by default the survey's barriers
// question) ranked by how often non-users chose them, side by side with users, each with a
// test of whether non-users and users differ on it.

import { isAnswered } from "./answer-values.ts";
import { type IndependenceTest, testIndependence } from "./cross-tab.ts";
import { questionNamed } from "./describe-survey.ts";
import { type ShareEstimate, shareOf, WeightedBase } from "./estimates.ts";
import { useStatusOf } from "./groups.ts";
import type { MultipleQuestion, ResponseRecord, SurveyCodebook, UseStatusRule } from "./types.ts";

export interface GroupShare extends ShareEstimate {
  count: number;
  weighted: number;
}

export interface RankedChoice {
  code: string;
  label: string;
  isOther?: true;
  nonUsers: GroupShare;
  users: GroupShare;
  /** Non-users' share minus users' share (null when either group is empty). */
  difference: number | null;
  /** Chosen / not chosen × non-users / users (Fisher's exact test when expected counts are small). */
  test: IndependenceTest;
}

export interface RankedChoices {
  question: string;
  title: string;
  /** Non-users and users who answered the question (the bases of the shares). */
  nonUsersAnswered: number;
  usersAnswered: number;
  /** Choices from most to least chosen by non-users. */
  choices: RankedChoice[];
}

interface Tally {
  count: number;
  weighted: number;
  /** Σw², for the design-based test. */
  weightSquares: number;
}

/**
 * Ranks the choices of a multi-select question among non-users (library-use status from the
 * survey's `useStatus` rule), comparing each with users, one response at a time. Respondents
 * whose use is unknown are left out of both groups. See rankChoicesAmongNonUsers.
 */
export class NonUserRanking {
  private readonly question: MultipleQuestion;
  private readonly rule: UseStatusRule;
  private readonly choices: { code: string; label: string; isOther?: true }[];
  private readonly bases = { nonUsers: new WeightedBase(), users: new WeightedBase() };
  private readonly chosen: { nonUsers: Tally[]; users: Tally[] };

  constructor(
    codebook: SurveyCodebook,
    options: { question?: string; weights?: ReadonlyMap<string, number> } = {},
  ) {
    const question = questionNamed(codebook, options.question ?? "barriers");
    if (question.kind !== "multiple") {
      throw new RangeError(
        `"${question.name}" is not a multi-select question, so its choices cannot be ranked`,
      );
    }
    if (!codebook.useStatus) {
      throw new RangeError(
        "the survey has no library-use question (openDoor.useStatus), so non-users cannot be told apart",
      );
    }
    this.question = question;
    this.rule = codebook.useStatus;
    this.weights = options.weights;
    this.choices = [
      ...question.choices.map((c) => ({ code: c.code, label: c.label })),
      ...(question.other
        ? [{ code: question.other.code, label: question.other.label, isOther: true as const }]
        : []),
    ];
    this.chosen = {
      nonUsers: this.choices.map(() => ({ count: 0, weighted: 0, weightSquares: 0 })),
      users: this.choices.map(() => ({ count: 0, weighted: 0, weightSquares: 0 })),
    };
  }

  private readonly weights: ReadonlyMap<string, number> | undefined;

  add(response: ResponseRecord): void {
    const status = useStatusOf(response.data, this.rule);
    if (status === "unknown") return;
    const value = response.data[this.question.name];
    if (!isAnswered(value) || !Array.isArray(value)) return;
    const group = status === "non-user" ? "nonUsers" : "users";
    const weight = this.weights ? this.weights.get(response.id) : 1;
    if (weight === undefined) {
      throw new RangeError(`rankChoicesAmongNonUsers: response ${response.id} has no weight`);
    }
    this.bases[group].add(weight);
    const codes = new Set(value.map(String));
    this.choices.forEach((choice, index) => {
      if (!codes.has(choice.code)) return;
      const entry = this.chosen[group][index] as Tally;
      entry.count++;
      entry.weighted += weight;
      entry.weightSquares += weight * weight;
    });
  }

  result(): RankedChoices {
    const { nonUsers: nonUserBase, users: userBase } = this.bases;
    const ranked = this.choices.map((choice, index): RankedChoice => {
      const nonUser = this.chosen.nonUsers[index] as Tally;
      const user = this.chosen.users[index] as Tally;
      const nonUsers = { ...nonUser, ...shareOf(nonUser.weighted, nonUserBase) };
      const users = { ...user, ...shareOf(user.weighted, userBase) };
      const notChosen = (tally: Tally, base: WeightedBase): Tally => ({
        count: base.count - tally.count,
        weighted: base.weight - tally.weighted,
        weightSquares: Math.max(0, base.weightSquares - tally.weightSquares),
      });
      const cells = [
        [nonUser, notChosen(nonUser, nonUserBase)],
        [user, notChosen(user, userBase)],
      ];
      return {
        ...choice,
        nonUsers,
        users,
        difference:
          nonUsers.share !== null && users.share !== null ? nonUsers.share - users.share : null,
        test: testIndependence(cells, Boolean(this.weights)),
      };
    });
    ranked.sort(
      (a, b) =>
        (b.nonUsers.share ?? -1) - (a.nonUsers.share ?? -1) ||
        b.nonUsers.count - a.nonUsers.count ||
        a.code.localeCompare(b.code),
    );
    return {
      question: this.question.name,
      title: this.question.title,
      nonUsersAnswered: nonUserBase.count,
      usersAnswered: userBase.count,
      choices: ranked,
    };
  }
}

/**
 * Ranks the choices of a multi-select question (default "barriers") among non-users, with
 * users' shares beside them and a test per choice.
 *
 * @example
 * rankChoicesAmongNonUsers(codebook, responses).choices[0];
 * // { code: "hours", nonUsers: { count: 41, share: 0.38, … }, users: { share: 0.21, … }, difference: 0.17, test: {…} }
 */
export function rankChoicesAmongNonUsers(
  codebook: SurveyCodebook,
  responses: Iterable<ResponseRecord>,
  options: { question?: string; weights?: ReadonlyMap<string, number> } = {},
): RankedChoices {
  const ranking = new NonUserRanking(codebook, options);
  for (const response of responses) ranking.add(response);
  return ranking.result();
}
