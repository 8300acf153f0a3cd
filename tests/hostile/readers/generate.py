#!/usr/bin/env python3
"""generate.py CASE DIR: writes an archive into DIR: eighteen good articles in every input
format (each body holds a marker word GOOD01..GOOD18) and the hostile input of CASE, whose
file name is printed. The hostile readers' cases of issue 12, generated because of their
size. Cases: see CASES at the end."""
import json, os, sys

case, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)

def good_articles():
    n = 0
    def marker():
        nonlocal n
        n += 1
        return "GOOD%02d" % n
    for i in range(6):
        m = marker()
        write("good-%s.md" % m, "---\ntitle: Article Markdown %d\ndate: 2026-02-%02d\nlang: fr\n"
              "tags: [Essai]\n---\n\nLe paragraphe %s du texte, assez long pour être lu.\n" % (i, i + 1, m))
    for i in range(4):
        m = marker()
        write("good-%s.html" % m, "<!DOCTYPE html><html lang='en'><head><title>HTML page %d</title>"
              "<meta property='article:published_time' content='2026-02-%02dT10:00:00Z'></head>"
              "<body><article><h1>HTML page %d</h1><p>The paragraph %s of a page, long enough to be "
              "read as the text of the article.</p></article></body></html>\n" % (i, i + 10, i, m))
    items = ""
    for i in range(4):
        m = marker()
        items += ("<item><title>Feed item %d</title><link>https://example.org/%d</link>"
                  "<pubDate>Mon, 16 Feb 2026 10:0%d:00 +0000</pubDate><description>&lt;p&gt;The item "
                  "%s of the feed.&lt;/p&gt;</description></item>" % (i, i, i, m))
    write("good-feed.rss", "<?xml version='1.0'?><rss version='2.0'><channel><title>Good feed</title>"
          "<link>https://example.org/</link>%s</channel></rss>\n" % items)
    for i in range(2):
        m = marker()
        write("good-%s.json" % m, json.dumps({"title": "JSON article %d" % i, "date": "2026-02-2%d" % i,
                                               "content": "The JSON body %s of the article." % m}))
    for i in range(2):
        m = marker()
        write("good-%s.txt" % m, "Text dump %d\n\nThe text body %s of a dump.\n" % (i, m))
    return n

def alias_bomb():
    lines = ["title: Alias bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9)))
    lines.append("tags: *a9")
    return "\n".join(lines) + "\n"

def front(name, yaml):
    write(name, "---\n" + yaml + "---\n\nBADBODY: the body after the hostile front matter.\n")
    return name

def cases():
    return {
        # issue 12, what was seen 1-3
        "yaml-self-alias": lambda: front("bad-self-alias.md", "title: Self alias\ndate: 2026-02-05\n"
                                         "tags: &t [a, *t]\n"),
        "yaml-alias-bomb": lambda: front("bad-alias-bomb.md", alias_bomb()),
        "yaml-deep": lambda: front("bad-yaml-deep.md", "title: Deep YAML\ntags: " + "[" * 100000 +
                                   "x" + "]" * 100000 + "\n"),
        # issue 12, what was seen 4: a million levels behind what the old pre-check misread
        "json-deep-comment": lambda: deep_json("bad-json-comment.json", '"t" /* " */'),
        "json-deep-single-quote": lambda: deep_json("bad-json-quote.json", "'single \" quote'"),
        # issue 12, data loss: HTML nested deeper than 256 (in a page, a feed, Markdown); the
        # content after the deep point (KEEP) must stay
        "html-deep-page": lambda: write_as("bad-html-deep.html", "<!DOCTYPE html><html><head>"
                                           "<title>Deep page</title></head><body><article>" +
                                           deep_html() + "</article></body></html>\n"),
        "html-deep-feed": lambda: write_as("bad-html-deep.rss", "<?xml version='1.0'?><rss version="
                                           "'2.0'><channel><title>Deep feed</title><item><title>Deep"
                                           " item</title><description><![CDATA[" + deep_html() +
                                           "]]></description></item></channel></rss>\n"),
        "html-deep-markdown": lambda: write_as("bad-html-deep.md", "---\ntitle: Deep HTML block\n"
                                               "---\n\n" + deep_html() + "\n\nBADBODY after.\n"),
        "json-ld-deep": lambda: write_as("bad-json-ld.html", "<!DOCTYPE html><html><head><title>LD"
                                         "</title><script type='application/ld+json'>{\"a\": \"t\""
                                         " /* \" */, \"x\": " + "[" * 1000000 + "]" * 1000000 +
                                         "}</script></head><body><article><p>BADBODY in the page, "
                                         "long enough to be the article's text.</p>" + "<p>More "
                                         "text of the page, a sentence or two.</p>" * 5 +
                                         "</article></body></html>\n"),
        # issue 12, cost: one element with 50,000 attributes
        "html-attribute-flood": lambda: write_as("bad-attributes.html", "<!DOCTYPE html><html><head>"
                                                 "<title>Attributes</title></head><body><article>"
                                                 "<p " + " ".join("a%d=x" % i for i in range(50000)) +
                                                 ">BADBODY in the flooded element.</p><p>KEEP after "
                                                 "it.</p></article></body></html>\n"),
        # issue 12, cost: each name of a list was compared with all the others (100,000
        # topics took minutes); the model keeps KQ_MAX_NAMES (512) and says so once
        "json-name-flood": lambda: write_as("bad-names.json", '{"title": "Names", "content": '
                                            '"<p>BADBODY with a hundred thousand tags.</p>", '
                                            '"tags": [%s]}' % ", ".join('"tag%d"' % i for i in
                                                                         range(100000))),
        "feed-name-flood": lambda: write_as("bad-names.rss", "<?xml version='1.0'?><rss version="
                                            "'2.0'><channel><title>Names feed</title><item><title>"
                                            "Names</title><description>BADBODY with a hundred "
                                            "thousand categories.</description>" +
                                            "".join("<category>c%d</category>" % i
                                                    for i in range(100000)) +
                                            "</item></channel></rss>\n"),
        "html-name-flood": lambda: write_as("bad-names.html", "<!DOCTYPE html><html><head><title>"
                                            "Names</title>" +
                                            "".join("<meta property='article:tag' content='k%d'>" % i
                                                    for i in range(100000)) +
                                            "</head><body><article><p>BADBODY in a page with a "
                                            "hundred thousand tags.</p><p>KEEP: the second "
                                            "paragraph.</p></article></body></html>\n"),
        # issue 12, cost: --max-article applied after parsing (a 16 MB Markdown file peaked at
        # 2.3 GB); the memory cap of check.sh (1.5 GB) is the measure
        "markdown-16mb": lambda: write_as("bad-16mb.md", "---\ntitle: Sixteen megabytes\n---\n\n"
                                          "BADBODY first paragraph.\n\n" + ("*a* b [c](https://e.org/)"
                                          " d\n\n- e\n- f\n\n> g\n\n" * (huge_mb() * 1024 * 1024 // 48 - 100))),
    }

def deep_html():
    return ("<p>BADBODY before the nest.</p>" + "<div>" * 5000 + "<p>Deep text.</p>" +
            "</div>" * 5000 + "<p>KEEP: a shallow paragraph after the deep nest.</p>")

def huge_mb():
    # 16 MB, the size; check.sh asks for less under ASan, where the same
    # file takes longer than ctest's timeout (the chunked path starts at 512 KB)
    return int(os.environ.get("KQ_HUGE_MB", "16"))

def write_as(name, text):
    write(name, text)
    return name

def deep_json(name, title):
    n = 1000000
    write(name, '{"content": "BADBODY", "title": %s, "x": %s%s}' % (title, "[" * n, "]" * n))
    return name

good_articles()
print(cases()[case]())
