"""Writes tests/vectors/xss.json: known cross-site-scripting vectors for both parsers.

    .venv/bin/python -m tests.vectors.write_xss

Each vector is hostile HTML; "text", when present, is text that must survive.
The vectors are the classic families (script tags, event handlers, URL schemes,
encodings, CSS, SVG/MathML, mutation and parser-confusion tricks), written for
this project.
"""

from __future__ import annotations

import json
from pathlib import Path

OUTPUT = Path(__file__).with_name("xss.json")

VECTORS: list[tuple[str, str, str | None]] = [
    ("script tag", "<script>alert(1)</script>safe", "safe"),
    ("script src", '<script src="https://evil.example/x.js"></script>safe', "safe"),
    ("script in paragraph", "<p>be<script>alert(1)</script>fore</p>", "before"),
    ("uppercase script", "<SCRIPT>alert(1)</SCRIPT>ok", "ok"),
    ("script with spaces", "<script >alert(1)</script >ok", "ok"),
    ("unclosed script", "ok<script>alert(1)", "ok"),
    ("img onerror", '<img src="x" onerror="alert(1)">ok', "ok"),
    ("img onerror no quotes", "<img src=x onerror=alert(1)>ok", "ok"),
    ("body onload", '<body onload="alert(1)">ok</body>', "ok"),
    ("svg onload", '<svg onload="alert(1)"></svg>ok', "ok"),
    ("svg script", "<svg><script>alert(1)</script></svg>ok", "ok"),
    (
        "svg animate href",
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>ok',
        "ok",
    ),
    (
        "svg foreignObject",
        "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>ok",
        "ok",
    ),
    ("math href", '<math><mtext><a href="javascript:alert(1)">m</a></mtext></math>ok', "ok"),
    ("iframe src", '<iframe src="javascript:alert(1)"></iframe>ok', "ok"),
    ("iframe srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>ok', "ok"),
    ("object data", '<object data="javascript:alert(1)"></object>ok', "ok"),
    ("embed src", '<embed src="javascript:alert(1)">ok', "ok"),
    ("link javascript", '<a href="javascript:alert(1)">click</a>', "click"),
    ("link JAVASCRIPT", '<a href="JAVASCRIPT:alert(1)">click</a>', "click"),
    ("link javascript with tab", '<a href="jav\tascript:alert(1)">click</a>', "click"),
    ("link javascript with newline", '<a href="jav&#x0A;ascript:alert(1)">click</a>', "click"),
    ("link javascript entity colon", '<a href="javascript&colon;alert(1)">click</a>', "click"),
    (
        "link javascript numeric entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
        "click",
    ),
    ("link javascript hex entities", '<a href="&#x6A;avascript:alert(1)">click</a>', "click"),
    ("link leading control char", '<a href="&#1;javascript:alert(1)">click</a>', "click"),
    ("link leading spaces", '<a href="   javascript:alert(1)">click</a>', "click"),
    ("link vbscript", '<a href="vbscript:msgbox(1)">click</a>', "click"),
    (
        "link data html",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
        "click",
    ),
    ("link livescript", '<a href="livescript:alert(1)">click</a>', "click"),
    ("link onclick", '<a href="https://ok.example" onclick="alert(1)">click</a>', "click"),
    (
        "link target and rel kept out",
        '<a href="https://ok.example" target="_blank" ping="https://evil.example">click</a>',
        "click",
    ),
    ("img javascript src", '<img src="javascript:alert(1)" alt="pic">', "pic"),
    (
        "img data svg",
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="pic">',
        "pic",
    ),
    (
        "img data html",
        '<img src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;" alt="pic">',
        "pic",
    ),
    ("img srcset", '<img src="a.png" srcset="javascript:alert(1) 1x">ok', "ok"),
    (
        "img lowsrc dynsrc",
        '<img lowsrc="javascript:alert(1)" dynsrc="javascript:alert(1)">ok',
        "ok",
    ),
    ("style tag", "<style>body{background:url(javascript:alert(1))}</style>ok", "ok"),
    ("style attribute expression", '<p style="width: expression(alert(1))">ok</p>', "ok"),
    ("style attribute url", '<p style="background-image: url(javascript:alert(1))">ok</p>', "ok"),
    ("style attribute behavior", '<p style="behavior: url(x.htc)">ok</p>', "ok"),
    ("style moz-binding", '<p style="-moz-binding: url(x.xml#xss)">ok</p>', "ok"),
    ("style import", "<style>@import 'https://evil.example/x.css';</style>ok", "ok"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">ok', "ok"),
    ("base href", '<base href="javascript:alert(1)//">ok', "ok"),
    ("link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">ok', "ok"),
    ("form action", '<form action="javascript:alert(1)"><button>go</button></form>ok', "ok"),
    ("input onfocus autofocus", '<input onfocus="alert(1)" autofocus>ok', "ok"),
    (
        "details ontoggle",
        '<details open ontoggle="alert(1)"><summary>s</summary>ok</details>',
        "ok",
    ),
    ("video source onerror", '<video><source onerror="alert(1)"></video>ok', "ok"),
    ("audio src onerror", "<audio src=x onerror=alert(1)></audio>ok", "ok"),
    ("marquee onstart", '<marquee onstart="alert(1)">ok</marquee>', "ok"),
    (
        "table background",
        '<table background="javascript:alert(1)"><tr><td>ok</td></tr></table>',
        "ok",
    ),
    ("td onmouseover", '<table><tr><td onmouseover="alert(1)">ok</td></tr></table>', "ok"),
    ("div onmouseover", '<div onmouseover="alert(1)">ok</div>', "ok"),
    (
        "span data-author injection",
        '<span data-author="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">ok</span>',
        "ok",
    ),
    ("class injection", '<p class="&quot; onclick=&quot;alert(1)">ok</p>', "ok"),
    ("attribute breakout in text", 'ok"><script>alert(1)</script>', 'ok">'),
    ("comment breakout", "<!--><script>alert(1)</script>-->ok", "ok"),
    ("conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]-->ok", "ok"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>ok", "ok"),
    ("noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">ok', None),
    ("template content", "<template><script>alert(1)</script></template>ok", "ok"),
    ("textarea breakout", "<textarea></textarea><script>alert(1)</script>ok", "ok"),
    ("title breakout", "<title></title><script>alert(1)</script>ok", "ok"),
    ("xmp breakout", "<xmp><script>alert(1)</script></xmp>ok", "ok"),
    ("plaintext", "ok<plaintext><script>alert(1)</script>", "ok"),
    (
        "nested quotes in href",
        "<a href='https://ok.example/\"onmouseover=\"alert(1)'>click</a>",
        "click",
    ),
    (
        "href with html entity quote",
        '<a href="https://ok.example/&quot;&gt;&lt;script&gt;">click</a>',
        "click",
    ),
    (
        "img alt breakout",
        '<img src="a.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
        None,
    ),
    ("many attributes", "<p " + " ".join(f"a{i}=x" for i in range(2000)) + ">ok</p>", "ok"),
    ("null bytes", "o\x00k<scr\x00ipt>alert(1)</script>", None),
    ("unicode escapes in scheme", '<a href="\\u006aavascript:alert(1)">click</a>', "click"),
    ("svg use href", '<svg><use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/></svg>ok', "ok"),
    ("object param", '<object><param name="src" value="javascript:alert(1)"></object>ok', "ok"),
    ("applet", '<applet code="x.class">ok</applet>', "ok"),
    ("isindex", '<isindex action="javascript:alert(1)" type=image>ok', "ok"),
    (
        "frameset",
        '<frameset onload="alert(1)"><frame src="javascript:alert(1)"></frameset>ok',
        None,
    ),
]


# Large vectors are stored as a template: each marker in "html" stands for the
# string repeated the given number of times (expand with html.replace(marker, s * n)).
REPEATED: list[tuple[str, str, dict[str, tuple[str, int]], str]] = [
    (
        "deep nesting",
        "@open@deep@close@",
        {"@open@": ("<div>", 10000), "@close@": ("</div>", 10000)},
        "deep",
    ),
    (
        "deep inline nesting",
        "@open@deep@close@",
        {"@open@": ("<b>", 5000), "@close@": ("</b>", 5000)},
        "deep",
    ),
    ("deep list nesting", "@open@deep", {"@open@": ("<ul><li>", 3000)}, "deep"),
    ("huge attribute", '<p title="@a@">ok</p>', {"@a@": ("a", 1_000_000)}, "ok"),
    ("huge href", '<a href="https://ok.example/@a@">ok</a>', {"@a@": ("a", 200_000)}, "ok"),
    ("huge text", "<p>@a@</p>", {"@a@": ("word ", 100_000)}, "word word"),
]


def expand(vector: dict) -> str:
    """Return a vector's HTML with its repeat markers expanded."""
    html = vector["html"]
    for marker, (piece, count) in vector.get("repeat", {}).items():
        html = html.replace(marker, piece * count)
    return html


def main() -> None:
    vectors = [
        {"name": name, "html": html, **({"text": text} if text is not None else {})}
        for name, html, text in VECTORS
    ] + [
        {
            "name": name,
            "html": html,
            "repeat": {k: list(v) for k, v in repeat.items()},
            "text": text,
        }
        for name, html, repeat, text in REPEATED
    ]
    OUTPUT.write_text(json.dumps({"vectors": vectors}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {OUTPUT}")


if __name__ == "__main__":
    main()
