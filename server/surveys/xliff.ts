// XLIFF 2.0 (OASIS XLIFF Version 2.0, 2014, core only) for a survey's strings: written with
// careful escaping, read back with a small strict reader. No XML library is installed, and the
// files Open Door reads back are the ones it wrote (edited by a translator or a CAT tool), so the
// reader accepts the XML those produce and refuses the rest with line and column: no DOCTYPE or
// entity declarations (nothing to expand), only the five predefined entities and character
// references, no inline elements inside <source>/<target> (markup is exported as escaped text).
import { InputError } from "../errors.ts";
import type { TranslationUnit } from "./translatable-strings.ts";

export const XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0";

// XML 1.0 §2.2: characters a document may not contain at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Escapes text for element content and double-quoted attributes. */
export function escapeXml(text: string): string {
  if (NOT_XML_CHAR.test(text)) {
    throw new RangeError("escapeXml: the text has a control character XML cannot carry");
  }
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#13;");
}

/** An XLIFF 2.0 document of one survey's strings for one target language. */
export function writeXliff(options: {
  slug: string;
  language: string;
  units: readonly TranslationUnit[];
}): string {
  const { slug, language, units } = options;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="en" trgLang="${escapeXml(language)}">`,
    `  <file id="${escapeXml(slug)}" original="surveys/${escapeXml(slug)}.json">`,
  ];
  for (const unit of units) {
    lines.push(`    <unit id="${escapeXml(unit.id)}">`);
    lines.push(`      <segment state="${unit.target === null ? "initial" : "translated"}">`);
    lines.push(`        <source>${escapeXml(unit.source)}</source>`);
    if (unit.target !== null) lines.push(`        <target>${escapeXml(unit.target)}</target>`);
    lines.push("      </segment>", "    </unit>");
  }
  lines.push("  </file>", "</xliff>", "");
  return lines.join("\n");
}

interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: (XmlElement | string)[];
  line: number;
  column: number;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Parses the XML subset described above into a tree; errors name the line and column. */
export function parseXml(text: string, file: string): XmlElement {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const where = (index: number) => {
    const before = text.slice(0, index).split("\n");
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
  const fail = (message: string, index = at): never => {
    const { line, column } = where(index);
    throw new InputError(`not a valid XLIFF file: ${message}`, {
      file,
      line,
      column: String(column),
    });
  };
  const decode = (raw: string, start: number) => {
    if (NOT_XML_CHAR.test(raw)) fail("a control character XML does not allow", start);
    // XML 1.0 §2.11: line breaks are read as \n (a written &#13; stays a carriage return).
    return raw
      .replace(/\r\n?/g, "\n")
      .replace(/&([^;\s&<]*);?/g, (match, name: string, offset: number) => {
        if (!match.endsWith(";")) fail(`"&" must be written &amp;`, start + offset);
        if (name in ENTITIES) return ENTITIES[name] as string;
        const code = /^#x[0-9a-fA-F]+$/.test(name)
          ? Number.parseInt(name.slice(2), 16)
          : /^#\d+$/.test(name)
            ? Number(name.slice(1))
            : null;
        if (code === null || code > 0x10ffff || NOT_XML_CHAR.test(String.fromCodePoint(code))) {
          return fail(
            `unknown entity &${name}; (only &lt; &gt; &amp; &quot; &apos; and &#…;)`,
            start + offset,
          );
        }
        return String.fromCodePoint(code);
      });
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(text.slice(at))?.[0].length ?? 0;
      at += ws;
      if (text.startsWith("<?", at)) {
        const end = text.indexOf("?>", at);
        if (end < 0) fail("an unterminated <? … ?>");
        at = end + 2;
      } else if (text.startsWith("<!--", at)) {
        const end = text.indexOf("-->", at);
        if (end < 0) fail("an unterminated comment");
        at = end + 3;
      } else if (text.startsWith("<!DOCTYPE", at)) {
        fail("a DOCTYPE is not allowed (XLIFF needs none)");
      } else return;
    }
  };

  const element = (): XmlElement => {
    const start = at;
    at++; // "<"
    const name = NAME.exec(text.slice(at))?.[0];
    if (!name) return fail("expected an element name after <");
    at += name.length;
    const attributes = new Map<string, string>();
    for (;;) {
      const ws = /^\s*/.exec(text.slice(at))?.[0].length ?? 0;
      at += ws;
      if (text.startsWith("/>", at)) {
        at += 2;
        return { name, attributes, children: [], ...where(start) };
      }
      if (text[at] === ">") {
        at++;
        break;
      }
      if (ws === 0) fail(`expected whitespace, ">" or "/>" in <${name}>`);
      const attribute = NAME.exec(text.slice(at))?.[0];
      if (!attribute) fail(`expected an attribute name in <${name}>`);
      at += (attribute as string).length;
      const eq = /^\s*=\s*(["'])/.exec(text.slice(at));
      if (!eq) return fail(`attribute ${attribute} of <${name}> needs ="value"`);
      at += eq[0].length;
      const end = text.indexOf(eq[1] as string, at);
      if (end < 0) fail(`attribute ${attribute} of <${name}> is not closed`);
      const raw = text.slice(at, end);
      if (raw.includes("<")) fail(`"<" inside attribute ${attribute}`, at + raw.indexOf("<"));
      if (attributes.has(attribute as string)) fail(`attribute ${attribute} appears twice`);
      attributes.set(attribute as string, decode(raw, at));
      at = end + 1;
    }
    const children: (XmlElement | string)[] = [];
    for (;;) {
      if (at >= text.length) fail(`<${name}> is never closed`, start);
      if (text.startsWith("</", at)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(at));
        if (!close || close[1] !== name) fail(`expected </${name}>`);
        at += (close as RegExpExecArray)[0].length;
        return { name, attributes, children, ...where(start) };
      }
      if (text.startsWith("<![CDATA[", at)) {
        const end = text.indexOf("]]>", at);
        if (end < 0) fail("an unterminated CDATA section");
        children.push(text.slice(at + 9, end));
        at = end + 3;
      } else if (text.startsWith("<!--", at)) {
        const end = text.indexOf("-->", at);
        if (end < 0) fail("an unterminated comment");
        at = end + 3;
      } else if (text.startsWith("<?", at)) {
        const end = text.indexOf("?>", at);
        if (end < 0) fail("an unterminated <? … ?>");
        at = end + 2;
      } else if (text[at] === "<") {
        children.push(element());
      } else {
        const next = text.indexOf("<", at);
        const end = next < 0 ? text.length : next;
        const raw = text.slice(at, end);
        if (raw.includes("]]>"))
          fail('"]]>" in text must be written ]]&gt;', at + raw.indexOf("]]>"));
        children.push(decode(raw, at));
        at = end;
      }
    }
  };

  skipMisc();
  if (text[at] !== "<") fail("expected the <xliff> element");
  const root = element();
  skipMisc();
  if (at < text.length) fail("text after the root element");
  return root;
}

export interface ReadUnit {
  id: string;
  source: string;
  /** Null when the unit has no <target>. */
  target: string | null;
  line: number;
}

const elements = (node: XmlElement) =>
  node.children.filter((child): child is XmlElement => typeof child !== "string");

/** The text of <source> or <target>; an inline element is refused (markup travels as text). */
function textOf(node: XmlElement, file: string): string {
  return node.children
    .map((child) => {
      if (typeof child === "string") return child;
      throw new InputError(
        `<${child.name}> inside <${node.name}> is not supported: keep markup and placeholders as plain text, as exported`,
        { file, line: child.line, column: String(child.column) },
      );
    })
    .join("");
}

/** Reads an XLIFF 2.0 file of one target language: its units with source and target. */
export function readXliff(
  text: string,
  file: string,
): { sourceLanguage: string; targetLanguage: string | null; units: ReadUnit[] } {
  const root = parseXml(text, file);
  const at = (node: XmlElement) => ({ file, line: node.line, column: String(node.column) });
  if (root.name !== "xliff" || root.attributes.get("xmlns") !== XLIFF_NAMESPACE) {
    throw new InputError(`the root element must be <xliff xmlns="${XLIFF_NAMESPACE}">`, at(root));
  }
  if (root.attributes.get("version") !== "2.0") {
    throw new InputError(
      `version must be "2.0" (this is XLIFF ${root.attributes.get("version") ?? "without a version"})`,
      at(root),
    );
  }
  const units: ReadUnit[] = [];
  for (const fileNode of elements(root)) {
    if (fileNode.name !== "file") continue;
    for (const unit of elements(fileNode)) {
      if (unit.name !== "unit") continue;
      const id = unit.attributes.get("id");
      if (!id) throw new InputError("a <unit> has no id", at(unit));
      const segments = elements(unit).filter((child) => child.name === "segment");
      if (segments.length !== 1) {
        throw new InputError(
          `unit ${id} has ${segments.length} segments; Open Door writes exactly one`,
          at(unit),
        );
      }
      const segment = segments[0] as XmlElement;
      const source = elements(segment).find((child) => child.name === "source");
      const target = elements(segment).find((child) => child.name === "target");
      if (!source) throw new InputError(`unit ${id} has no <source>`, at(segment));
      units.push({
        id,
        source: textOf(source, file),
        target: target ? textOf(target, file) : null,
        line: (target ?? source).line,
      });
    }
  }
  return {
    sourceLanguage: root.attributes.get("srcLang") ?? "",
    targetLanguage: root.attributes.get("trgLang") ?? null,
    units,
  };
}
