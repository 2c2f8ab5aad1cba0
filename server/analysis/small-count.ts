// Whether a count is small (DESIGN.md, "Privacy and safety rules"): 1 to threshold − 1 is withheld
// on its own account; 0 is shown (nobody to identify). The one test every table, page, map,
// export and planner uses, so none can draw the line in another place.

/**
 * @example
 * isSmallCount(3, 10);  // => true
 * isSmallCount(0, 10);  // => false
 * isSmallCount(10, 10); // => false
 */
export function isSmallCount(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}
