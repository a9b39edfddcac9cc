"""The mixed hostile set of issue 13: every case at once, written into DIR (with the seeds of ../shared).

Usage: ``python tests/bench/hostile_set.py DIR``, then
``/usr/bin/time -v graphnews explore DIR -o OUT`` (README, "Bad input", has the figures).
Every record is fictional; DIR is emptied first.
"""
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta


def main(out: str) -> None:
    """Write every case into ``out``."""
    subprocess.run(["rm", "-rf", out], check=True)  # shutil.rmtree recurses: 1,500 levels are too deep
    os.makedirs(out)
    def w(name, text, mode="w"):
        path = os.path.join(out, name) if isinstance(name, str) else os.path.join(os.fsencode(out), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
    SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "seeds")
    for seed in sorted(os.listdir(SEEDS)) if os.path.isdir(SEEDS) else []:
        if seed.endswith(".txt"):
            shutil.copy(os.path.join(SEEDS, seed), out)

    def rec(**k):
        return json.dumps({"title": "T", "webUrl": "https://ok.example.com/x", **k})

    w("surrogate.json", '{"title": "bad \\ud800", "webUrl": "https://s.example.com/1", "provider": {"name": "\\udfff"}, "topics": ["\\ud800"]}')
    w("nul.json", '{"title": "nul \\u0000 x", "webUrl": "https://s.example.com/2", "excerpt": "\\u0000"}')
    w(b"caf\xe9.json", rec(webUrl="https://cafe.example.com/1"), "w")
    w(b"caf\xe9-junk.json", "{junk", "w")
    w("new\nline.json", "{junk")
    for n, d in enumerate(["0001-01-01", "0999-01-01", "9999-12-31", "9999-12-31T23:00:00-05:00", "1" * 400, "\u00b2"]):
        w(f"date{n}.json", rec(webUrl=f"https://d.example.com/{n}", date=d))
    w("date400.json", '{"title": "x", "webUrl": "https://d.example.com/400", "date": ' + "1" * 400 + "}")
    w("quality.json", rec(webUrl="https://q.example.com/1", quality="--5"))
    w("quality2.json", rec(webUrl="https://q.example.com/2", quality="\u00b2"))
    w("huge.md", "---\ntitle: big\nwebUrl: https://h.example.com/1\nquality: " + "9" * 5000 + "\nmood: " + "9" * 5000 + "\n---\n")
    with open(os.path.join(out, "junk2mb.jsonl"), "w") as f:
        f.write("x{\n" * 700_000)
    with open(os.path.join(out, "junk16mb.jsonl"), "w") as f:
        f.write("[1\n" * 5_500_000)
    for n in range(4):
        with open(os.path.join(out, f"big{n}.md"), "w") as f:
            f.write("---\ntitle: big\nrelated:\n" + "- a\n" * 4_150_000 + "---\n")
    lede = ("Hundreds of dockworkers walked out at Container Terminal 3 on Thursday over a new shift rota, leaving ships "
            "waiting in the outer harbour as talks between the union and the port authority broke down late on Wednesday")
    with open(os.path.join(out, "wire.jsonl"), "w") as f:
        for n in range(4000):
            f.write(json.dumps({"title": f"Outlet {n} version", "webUrl": f"https://outlet{n}.example/wire/story",
                                "excerpt": lede, "provider": {"name": f"Outlet {n}", "domain": f"outlet{n}.example"},
                                "date": "2031-03-13T09:00:00Z", "body": lede * 8}) + "\n")
    with open(os.path.join(out, "days.jsonl"), "w") as f:
        for n in range(30_000):
            f.write(json.dumps({"title": f"Day {n}", "webUrl": f"https://days.example.com/{n}",
                                "date": (date(1930, 1, 1) + timedelta(days=n)).isoformat()}) + "\n")
    w("evil.json", rec(title="Fake", webUrl="https://evil.example\\@www.cnn.com/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"))
    w("csv.json", json.dumps({"title": "=HYPERLINK(\"https://evil.example\")", "webUrl": "https://c.example.com/1",
                              "provider": {"name": "+cmd", "domain": "c.example.com"}, "topics": ["@SUM(1)", "-x"]}))
    w("md.json", json.dumps({"title": "![p](https://tracker.example/p.png) [x](https://evil.example) a|b\n# h", "webUrl": "https://m.example.com/1"}))
    for n, host in enumerate(["outlet1.example", "outlet2.example", "a.internal", "b.internal", "x.local", "y.local", "p.test", "q.test",
                              "a.github.io", "b.github.io", "a.netlify.app", "b.netlify.app", "a.blogspot.co.uk", "b.blogspot.co.uk",
                              "a.s3.amazonaws.com", "b.s3.amazonaws.com", "[2001:db8::1]", "[2001:db8::2]"]):
        w(f"prov{n}.json", rec(webUrl=f"https://{host}/story"))
    os.symlink("/etc/os-release", os.path.join(out, "leak.md"))
    w("esc.json", rec(webUrl="https://e.example.com/1", title="\x1b[31mred\x1b]0;owned\x07", provider={"name": "\x1b[2J"}))
    w("cred.json", rec(webUrl="https://user:secret@cred.example.com/a"))
    w("frag1.json", rec(webUrl="https://f.example.com/#!/story/1"))
    w("frag2.json", rec(webUrl="https://f.example.com/#!/story/2"))
    w("pct1.json", rec(webUrl="https://p.example.com/a%2fb", title="P1"))
    w("pct2.json", rec(webUrl="https://p.example.com/a%2Fb", title="P2"))
    w("idna1.json", rec(webUrl="https://fa\u00df.de/a", title="I1"))
    w("idna2.json", rec(webUrl="https://fass.de/a", title="I2"))
    w("amp.json", rec(webUrl="https://guitar.example/gear/amp/review"))
    w("blank.md", "\n\n---\ntitle: Late\nwebUrl: https://late.example.com/a\n---\nbody\n")
    w("excerpt.md", "---\ntitle: Excerpt yes\nwebUrl: https://y.example.com/a\nexcerpt: yes\n---\n")
    w("topics.json", rec(webUrl="https://t.example.com/1", topics=["C", "C++", "C#"]))
    w("nonlatin.json", json.dumps({"title": "Новости", "provider": {"name": "Новая газета"}}))
    deep = out
    for _ in range(1500):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    w(os.path.join(deep, "deep.json"), rec(webUrl="https://deep.example.com/a"))
    w("_people/jane.md", "---\nname: Jane\n---\n")
    w("_data/topics/t.yml", "name: T\n")
    w("_events/e.md", "---\nname: E\n---\n")


if __name__ == "__main__":
    main(sys.argv[1])
