#!/usr/bin/env python3
"""Finds files in a local PEP 503 mirror and their links on an index page (for proxy-fleet.sh).

  mirror_file.py largest ROOT PROJECT   the largest file PROJECT's page links:  FILENAME SIZE SHA256
  mirror_file.py largest ROOT           the largest file of the whole mirror:  PROJECT FILENAME SIZE SHA256
  mirror_file.py link PAGE_URL FILENAME absolute URL of FILENAME's link on the HTML page at PAGE_URL

ROOT holds simple/<project>/index.html linking ../../files/<file>#sha256=... and files/<file>.
Exits 1 with a message on stderr when nothing matches.
"""
import html.parser
import os
import sys
import urllib.parse
import urllib.request


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def hrefs(text):
    parser = Links()
    parser.feed(text)
    return parser.hrefs


def filename(href):
    return urllib.parse.unquote(urllib.parse.urlsplit(href).path.rsplit("/", 1)[-1])


def sha256(href):
    fragment = urllib.parse.urlsplit(href).fragment
    return fragment[len("sha256="):] if fragment.startswith("sha256=") else "-"


def project_files(root, project):
    """(size, filename, sha256) of every file the project's page links that exists in files/."""
    page = os.path.join(root, "simple", project, "index.html")
    with open(page, encoding="utf-8") as f:
        links = hrefs(f.read())
    found = []
    for href in links:
        name = filename(href)
        path = os.path.join(root, "files", name)
        if os.path.isfile(path):
            found.append((os.path.getsize(path), name, sha256(href)))
    return found


def fail(message):
    print(f"mirror_file: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) == 4 and argv[1] == "largest":
        files = project_files(argv[2], argv[3])
        if not files:
            fail(f"no file of {argv[3]} in {argv[2]}")
        size, name, digest = max(files)
        print(name, size, digest)
    elif len(argv) == 3 and argv[1] == "largest":
        best = None
        for project in sorted(os.listdir(os.path.join(argv[2], "simple"))):
            if not os.path.isfile(os.path.join(argv[2], "simple", project, "index.html")):
                continue
            for size, name, digest in project_files(argv[2], project):
                if best is None or size > best[0]:
                    best = (size, project, name, digest)
        if best is None:
            fail(f"no files in {argv[2]}")
        print(best[1], best[2], best[0], best[3])
    elif len(argv) == 4 and argv[1] == "link":
        # Loopback only: never through a proxy from the environment.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(argv[2], headers={"Accept": "text/html"})
        with opener.open(request, timeout=60) as response:
            text = response.read().decode("utf-8")
        for href in hrefs(text):
            if filename(href) == argv[3]:
                print(urllib.parse.urljoin(argv[2], urllib.parse.urldefrag(href)[0]))
                return
        fail(f"{argv[2]} does not link {argv[3]}")
    else:
        fail("usage: see the docstring")


if __name__ == "__main__":
    main(sys.argv)
