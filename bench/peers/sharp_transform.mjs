// bench/transform's sharp run: the same job as every other tool (auto-orient, sRGB, fit inside
// 800x800 without enlarging, metadata stripped — sharp's default —, JPEG quality 80, or WebP
// quality 80 with transparency kept), each photo REPEATS times; writes OUT_DIR/sharp/NAME.jpg
// (.webp) and OUT_DIR/sharp.tsv (photo, median ms).
// Usage: node sharp_transform.mjs NODE_MODULES CORPUS_DIR OUT_DIR [REPEATS] [jpeg|webp]
import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, parse } from "node:path";

const [modules, corpus, out, repeatText, format] = process.argv.slice(2);
const webp = format === "webp";
const sharp = createRequire(join(modules, "x.js"))("sharp");
const repeats = Math.max(1, Number(repeatText || 3));
sharp.cache(false); // no operation cache, as imgline runs libvips

mkdirSync(join(out, "sharp"), { recursive: true });
const lines = [];
const photos = readdirSync(corpus).filter((n) => /\.(jpe?g|png|webp|heic|gif)$/i.test(n)).sort();
for (const name of photos) {
  const input = readFileSync(join(corpus, name));
  const times = [];
  let output = null;
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    try {
      output = await sharp(input)
        .rotate()
        .resize(800, 800, { fit: "inside", withoutEnlargement: true })
        .toColourspace("srgb")
        [webp ? "webp" : "jpeg"]({ quality: 80 })
        .toBuffer();
    } catch {
      output = null;
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  if (output) {
    times.sort((a, b) => a - b);
    writeFileSync(join(out, "sharp", parse(name).name + (webp ? ".webp" : ".jpg")), output);
    lines.push(`${name}\t${times[Math.floor(times.length / 2)].toFixed(2)}`);
  }
  process.stderr.write(".");
}
process.stderr.write("\n");
writeFileSync(join(out, "sharp.tsv"), lines.join("\n") + "\n");
