// Flesch-Kincaid grade level of English survey text, for the plain-language check (issue 17).
// Kincaid, Fishburne, Rogers & Chissom (1975), "Derivation of new readability formulas for Navy
// enlisted personnel", Research Branch Report 8-75:
//   grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
// Syllables are counted with the usual vowel-group rule (silent final "e", "-es"/"-ed" endings),
// which is within a syllable of a dictionary for almost all everyday words.

/** Vowel groups in an English word, after dropping a silent final e / es / ed; at least 1. */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (!w) return 0;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, (m) => m[0] ?? "");
  w = w.replace(/^y/, "");
  return Math.max(1, (w.match(/[aeiouy]{1,2}/g) ?? []).length);
}

export interface Readability {
  words: number;
  sentences: number;
  syllables: number;
  grade: number;
}

/**
 * The grade level of `texts`, each a title, description or answer choice: each counts as at
 * least one sentence (a choice like "Every week or more" is read as one), more if it has several.
 */
export function fleschKincaid(texts: readonly string[]): Readability {
  let words = 0;
  let sentences = 0;
  let syllableCount = 0;
  for (const text of texts) {
    const plain = text.replace(/<[^>]+>/g, " ").replace(/\{[^}]*\}/g, " ");
    const parts = plain.split(/[.!?]+(?:\s|$)/).filter((s) => /[a-z]/i.test(s));
    sentences += Math.max(1, parts.length);
    for (const word of plain.match(/[A-Za-z][A-Za-z'’-]*/g) ?? []) {
      words += 1;
      syllableCount += word.split("-").reduce((n, part) => n + syllables(part), 0);
    }
  }
  const grade =
    words === 0 ? 0 : 0.39 * (words / sentences) + 11.8 * (syllableCount / words) - 15.59;
  return { words, sentences, syllables: syllableCount, grade };
}
