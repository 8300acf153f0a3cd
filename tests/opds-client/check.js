// check.js CATALOG.xml...: parses each page of kiosque's OPDS catalog with opds-feed-parser
// (NYPL's OPDS client library) and prints one JSON line per page: what a reading app sees.
const Parser = require("opds-feed-parser").default;
const fs = require("fs");

async function main() {
  for (const file of process.argv.slice(2)) {
    const feed = await new Parser().parse(fs.readFileSync(file, "utf8"));
    const out = {
      file,
      kind: feed.constructor.name,
      title: feed.title,
      links: feed.links.map((l) => ({ rel: l.rel, href: l.href, type: l.type })),
      entries: feed.entries.map((e) => ({
        title: e.title,
        id: e.id,
        updated: e.updated,
        issued: e.issued,
        language: e.language,
        summary: e.summary && e.summary.content,
        links: e.links.map((l) => ({ kind: l.constructor.name, rel: l.rel, href: l.href, type: l.type })),
      })),
    };
    console.log(JSON.stringify(out));
  }
}
main().catch((err) => {
  console.error("opds-feed-parser:", err);
  process.exit(1);
});
