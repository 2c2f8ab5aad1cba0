// A map as PNG, for board reports and slides: the same SVG rasterised by resvg (Rust, no
// browser). Text needs a font: the system's fonts are loaded (DejaVu Sans on Debian, named first
// in the SVG), with DejaVu Sans as the fallback family.
import { Resvg } from "@resvg/resvg-js";

/** PNG bytes of an SVG map, at `scale` times its size (2 for print). */
export function mapPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
