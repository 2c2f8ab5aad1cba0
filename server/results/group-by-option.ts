// The grouping option as people give it: `npm run export -- results --by DIMENSION` and the
// results page's and results CSV's `group`. One parser, so an unknown dimension is an error naming
// the option on both, where the web used to show the tables ungrouped as if nothing was asked.
import { InputError } from "../errors.ts";
import { GROUP_DIMENSIONS, type GroupDimension } from "./groups.ts";

/**
 * The dimension to group the results by; blank = none.
 *
 * @param option the option's name, for the error ("by", "group")
 * @throws InputError naming the option (`where.field`) for anything but a group dimension
 */
export function parseGroupBy(text: string | undefined, option: string): GroupDimension | undefined {
  const value = text?.trim() ?? "";
  if (value === "") return undefined;
  if (!(GROUP_DIMENSIONS as readonly string[]).includes(value))
    throw new InputError(`takes ${GROUP_DIMENSIONS.join(", ")} (got "${value}")`, {
      field: option,
    });
  return value as GroupDimension;
}
