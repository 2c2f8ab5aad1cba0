/** Phrases that name a group of residents in findings. */
export interface GroupPhrases {
  /** Subject of a sentence: "Residents aged 20 to 34", "Residents who speak Spanish at home". */
  residents: string;
  /** Condition on an area: "more residents are aged 20 to 34", "more residents speak Spanish at home". */
  more: string;
}

/**
 * Plain-language phrases for a group of residents, used by the usage-gap findings and the area
 * correlations so that every sentence names groups the same way.
 *
 *     ("age", "20 to 34 years")          → "Residents aged 20 to 34"
 *     ("age", "65 years and over")       → "Residents aged 65 and over"
 *     ("language", "English only")       → "Residents who speak only English at home"
 *     ("language", "Spanish")            → "Residents who speak Spanish at home"
 *     ("language", "Other Indo-European") → "Residents who speak another Indo-European language at home"
 *     ("poverty", "Below poverty level") → "Residents in the group “Below poverty level” (poverty)"
 *
 * @param dimension the dimension's name
 * @param category the harmonised category label
 * @returns { residents, more }
 * @example
 * describeGroup("age", "Under 5 years").residents; // => "Residents aged under 5"
 */
export function describeGroup(dimension: string, category: string): GroupPhrases {
  const kind = dimension.trim().toLowerCase();
  if (kind === "age") {
    const age = category
      .replace(/ years and over$/, " and over")
      .replace(/ years?$/, "")
      .replace(/^Under /, "under ")
      .replace(/^All ages$/, "of all ages");
    return { residents: `Residents aged ${age}`, more: `more residents are aged ${age}` };
  }
  if (kind === "language") {
    let speaks: string;
    if (category === "English only") speaks = "speak only English";
    else if (category === "Other and unspecified") speaks = "speak another language";
    else if (category.startsWith("Other ")) speaks = `speak another ${category.slice(6)} language`;
    else if (category.includes(" other ")) speaks = `speak ${category} languages`;
    else speaks = `speak ${category}`;
    return {
      residents: `Residents who ${speaks} at home`,
      more: `more residents ${speaks} at home`,
    };
  }
  return {
    residents: `Residents in the group “${category}” (${dimension})`,
    more: `more residents are in the group “${category}” (${dimension})`,
  };
}
